import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/tempDir.js'
import { type DiskBuffer, openDiskBuffer } from './diskBuffer.js'
import type { TelemetryPoint } from './points.js'

const sensor = (i: number): TelemetryPoint => ({
  measurement: 'sensor',
  tags: { store: 's1', device: 'temp-1', type: 'temperature', zone: 'hall' },
  fields: { temperature: i },
  ts: 1_000 + i,
})
const alarm = (i: number): TelemetryPoint => ({
  measurement: 'alarm',
  tags: { store: 's1', kind: 'fire', severity: 'critical', device: 'smoke-1', zone: 'hall' },
  fields: { action: 'raised', alarm_id: `a${i}`, open: 1 },
  ts: 1_000 + i,
})
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)

describe('the InfluxDB disk buffer', () => {
  let dir: ReturnType<typeof tempDir>
  let buffer: DiskBuffer | null = null
  beforeEach(() => {
    dir = tempDir('storeguard-buffer-')
  })
  afterEach(() => {
    buffer?.close()
    buffer = null
    dir.remove()
  })

  it('gives points back oldest first, by batch sequence, and forgets them once removed', () => {
    buffer = openDiskBuffer(dir.path, 1000)
    buffer.append(2, range(10, 13).map(sensor), 0)
    buffer.append(1, range(0, 3).map(sensor), 0) // failed late: was cut before batch 2
    expect(buffer.size()).toBe(6)
    const first = buffer.oldest(4)
    expect(first.points.map((p) => p.fields.temperature)).toEqual([0, 1, 2, 10])
    buffer.remove(first.ids)
    expect(buffer.size()).toBe(2)
    expect(buffer.oldest(10).points.map((p) => p.fields.temperature)).toEqual([11, 12])
  })

  it('keeps its points when the file is opened again', () => {
    const first = openDiskBuffer(dir.path, 1000)
    first.append(7, [sensor(1), alarm(2)], 5_000)
    first.close()
    buffer = openDiskBuffer(dir.path, 1000)
    expect(buffer.size()).toBe(2)
    expect(buffer.maxSeq()).toBe(7)
    expect(buffer.oldestBufferedAt()).toBe(5_000)
    expect(buffer.oldest(10).points).toEqual([sensor(1), alarm(2)])
  })

  it('when full, drops the oldest telemetry first and keeps every alarm', () => {
    buffer = openDiskBuffer(dir.path, 100)
    buffer.append(1, range(0, 80).map(sensor), 0)
    buffer.append(2, range(0, 10).map(alarm), 0)
    const dropped = buffer.append(3, range(80, 110).map(sensor), 0)
    expect(dropped).toEqual({ telemetry: 20, keepLongest: 0 })
    expect(buffer.size()).toBe(100)
    const held = buffer.oldest(1000).points
    expect(held.filter((p) => p.measurement === 'alarm')).toHaveLength(10)
    const temperatures = held.filter((p) => p.measurement === 'sensor').map((p) => p.fields.temperature)
    expect(temperatures).toEqual(range(20, 110))
  })

  it('drops alarms only when no telemetry is left, and then the oldest alarms', () => {
    buffer = openDiskBuffer(dir.path, 100)
    buffer.append(1, range(0, 50).map(sensor), 0)
    const dropped = buffer.append(2, range(0, 120).map(alarm), 0)
    expect(dropped).toEqual({ telemetry: 50, keepLongest: 20 })
    const held = buffer.oldest(1000).points
    expect(held.map((p) => p.fields.alarm_id)).toEqual(range(20, 120).map((i) => `a${i}`))
  })

  it('appends a large batch in one transaction, fast enough for the event loop', () => {
    buffer = openDiskBuffer(dir.path, 1_000_000)
    const points = range(0, 5000).map(sensor)
    const started = performance.now()
    buffer.append(1, points, 0)
    expect(buffer.size()).toBe(5000)
    expect(performance.now() - started).toBeLessThan(500)
  })
})
