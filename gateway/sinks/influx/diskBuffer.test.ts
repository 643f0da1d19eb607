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
const ticket = (i: number): TelemetryPoint => ({
  measurement: 'ticket',
  tags: { store: 's1', device: 'terminal-1', zone: 'self-service' },
  fields: { action: 'opened', ticket_id: `t${i}`, open: 1 },
  ts: 1_000 + i,
})
const deviceStatus = (i: number): TelemetryPoint => ({
  measurement: 'device_status',
  tags: { store: 's1', device: `smoke-${i}`, type: 'smoke', zone: 'hall', transport: 'mqtt' },
  fields: { status: 'fault', fault: 1, online: 0 },
  ts: 1_000 + i,
})
const gateway = (i: number): TelemetryPoint => ({
  measurement: 'gateway',
  tags: { store: 's1' },
  fields: { readings_per_sec: i },
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

  it('keeps ticket and device-status points over telemetry, the gateway measurement included', () => {
    buffer = openDiskBuffer(dir.path, 20)
    buffer.append(1, [...range(0, 5).map(ticket), ...range(0, 10).map(sensor)], 0)
    buffer.append(2, range(0, 5).map(deviceStatus), 0)
    expect(buffer.size()).toBe(20)
    const dropped = buffer.append(3, [...range(0, 5).map(gateway), ...range(10, 20).map(sensor)], 0)
    expect(dropped).toEqual({ telemetry: 15, keepLongest: 0 })
    const held = buffer.oldest(100).points
    expect(held.filter((p) => p.measurement === 'ticket').map((p) => p.fields.ticket_id)).toEqual(
      range(0, 5).map((i) => `t${i}`),
    )
    expect(held.filter((p) => p.measurement === 'device_status')).toHaveLength(5)
    // oldest telemetry first, whatever its measurement: batch 1's readings, then batch 3's gateway points
    expect(held.filter((p) => p.measurement === 'gateway')).toHaveLength(0)
    expect(held.filter((p) => p.measurement === 'sensor').map((p) => p.fields.temperature)).toEqual(range(10, 20))
  })

  it('drops alarms only when no telemetry is left, and then the oldest alarms', () => {
    buffer = openDiskBuffer(dir.path, 100)
    buffer.append(1, range(0, 50).map(sensor), 0)
    const dropped = buffer.append(2, range(0, 120).map(alarm), 0)
    expect(dropped).toEqual({ telemetry: 50, keepLongest: 20 })
    const held = buffer.oldest(1000).points
    expect(held.map((p) => p.fields.alarm_id)).toEqual(range(20, 120).map((i) => `a${i}`))
  })

  it('appends a batch in one transaction: a batch that fails part-way leaves none of its points behind', () => {
    buffer = openDiskBuffer(dir.path, 1_000_000)
    buffer.append(1, range(0, 3).map(sensor), 0)
    // JSON.stringify throws on a bigint: point 2 500 of 5 000 cannot be stored
    const unstorable = { ...sensor(2500), fields: { temperature: 1n } } as unknown as TelemetryPoint
    const batch = [...range(0, 2500).map(sensor), unstorable, ...range(2501, 5000).map(sensor)]
    expect(() => buffer?.append(2, batch, 0)).toThrow(/BigInt/)
    expect(buffer.size()).toBe(3)
    expect(buffer.maxSeq()).toBe(1)
    buffer.close()
    buffer = openDiskBuffer(dir.path, 1_000_000)
    expect(buffer.size()).toBe(3)
    expect(buffer.oldest(10).points.map((p) => p.fields.temperature)).toEqual([0, 1, 2])
  })
})
