import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/tempDir.js'
import { type BufferedBatch, type DiskBuffer, openDiskBuffer } from './diskBuffer.js'
import { createLineBatch, type LineChunk } from './lineBatch.js'
import { pointToLine } from './lineProtocol.js'
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

/** Points as the writer hands them to the buffer. */
function chunkOf(points: readonly TelemetryPoint[]): LineChunk {
  const batch = createLineBatch()
  for (const p of points) batch.add(p)
  return batch.seal()
}
const linesIn = (b: BufferedBatch) => b.body.split('\n').filter((l) => l !== '')
const fieldOf = (line: string, field: string) => new RegExp(`[ ,]${field}=("?)([^ ,"]+)\\1`).exec(line)?.[2]
/** The `field` of each `measurement` line, in replay order. */
const held = (b: BufferedBatch, measurement: string, field: string) =>
  linesIn(b)
    .filter((l) => l.startsWith(`${measurement},`))
    .map((l) => fieldOf(l, field))
const temperatures = (b: BufferedBatch) => held(b, 'sensor', 'temperature').map(Number)

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
    buffer.append(2, chunkOf(range(10, 13).map(sensor)), 0)
    buffer.append(1, chunkOf(range(0, 3).map(sensor)), 0) // failed late: was cut before batch 2
    expect(buffer.size()).toBe(6)
    const first = buffer.oldest(4)
    expect(temperatures(first)).toEqual([0, 1, 2, 10])
    buffer.remove(first, first.lines)
    expect(buffer.size()).toBe(2)
    expect(temperatures(buffer.oldest(10))).toEqual([11, 12])
  })

  it('keeps the rest of a batch InfluxDB took only in part', () => {
    buffer = openDiskBuffer(dir.path, 1000)
    buffer.append(1, chunkOf(range(0, 5).map(sensor)), 0)
    buffer.remove(buffer.oldest(10), 2)
    expect(buffer.size()).toBe(3)
    expect(temperatures(buffer.oldest(10))).toEqual([2, 3, 4])
  })

  it('a batch trimmed for room while it was being replayed loses no line twice and gets none back', () => {
    buffer = openDiskBuffer(dir.path, 10)
    buffer.append(1, chunkOf(range(0, 9).map(sensor)), 0)
    const replaying = buffer.oldest(10)
    // live readings while the replay is in flight: the buffer is full and drops readings 0–2
    expect(buffer.append(2, chunkOf(range(9, 13).map(sensor)), 0)).toEqual({ telemetry: 3, keepLongest: 0 })
    buffer.remove(replaying, 5)
    expect(buffer.size()).toBe(8)
    expect(temperatures(buffer.oldest(100))).toEqual(range(5, 13))
    buffer.remove(buffer.oldest(4), 4)
    expect(temperatures(buffer.oldest(100))).toEqual(range(9, 13))
  })

  it('keeps its points when the file is opened again', () => {
    const first = openDiskBuffer(dir.path, 1000)
    first.append(7, chunkOf([sensor(1), alarm(2)]), 5_000)
    first.close()
    buffer = openDiskBuffer(dir.path, 1000)
    expect(buffer.size()).toBe(2)
    expect(buffer.maxSeq()).toBe(7)
    expect(buffer.oldestBufferedAt()).toBe(5_000)
    expect(linesIn(buffer.oldest(10)).sort()).toEqual([pointToLine(alarm(2)), pointToLine(sensor(1))].sort())
  })

  it('when full, drops the oldest telemetry first and keeps every alarm', () => {
    buffer = openDiskBuffer(dir.path, 100)
    buffer.append(1, chunkOf(range(0, 80).map(sensor)), 0)
    buffer.append(2, chunkOf(range(0, 10).map(alarm)), 0)
    const dropped = buffer.append(3, chunkOf(range(80, 110).map(sensor)), 0)
    expect(dropped).toEqual({ telemetry: 20, keepLongest: 0 })
    expect(buffer.size()).toBe(100)
    const all = buffer.oldest(1000)
    expect(held(all, 'alarm', 'alarm_id')).toHaveLength(10)
    expect(temperatures(all)).toEqual(range(20, 110))
  })

  it('keeps ticket and device-status points over telemetry, the gateway measurement included', () => {
    buffer = openDiskBuffer(dir.path, 20)
    buffer.append(1, chunkOf([...range(0, 5).map(ticket), ...range(0, 10).map(sensor)]), 0)
    buffer.append(2, chunkOf(range(0, 5).map(deviceStatus)), 0)
    expect(buffer.size()).toBe(20)
    const dropped = buffer.append(3, chunkOf([...range(0, 5).map(gateway), ...range(10, 20).map(sensor)]), 0)
    expect(dropped).toEqual({ telemetry: 15, keepLongest: 0 })
    const all = buffer.oldest(100)
    expect(held(all, 'ticket', 'ticket_id')).toEqual(range(0, 5).map((i) => `t${i}`))
    expect(held(all, 'device_status', 'status')).toHaveLength(5)
    // oldest telemetry first, whatever its measurement: batch 1's readings, then batch 3's gateway points
    expect(held(all, 'gateway', 'readings_per_sec')).toHaveLength(0)
    expect(temperatures(all)).toEqual(range(10, 20))
  })

  it('drops alarms only when no telemetry is left, and then the oldest alarms', () => {
    buffer = openDiskBuffer(dir.path, 100)
    buffer.append(1, chunkOf(range(0, 50).map(sensor)), 0)
    const dropped = buffer.append(2, chunkOf(range(0, 120).map(alarm)), 0)
    expect(dropped).toEqual({ telemetry: 50, keepLongest: 20 })
    expect(held(buffer.oldest(1000), 'alarm', 'alarm_id')).toEqual(range(20, 120).map((i) => `a${i}`))
  })

  it('appends a batch in one transaction: a batch whose second row cannot be stored leaves none of its points behind', () => {
    buffer = openDiskBuffer(dir.path, 1_000_000)
    buffer.append(1, chunkOf(range(0, 3).map(sensor)), 0)
    // the alarms' row goes in first, then the telemetry row fails (NOT NULL)
    const broken = { ...chunkOf([...range(0, 10).map(alarm), ...range(3, 10).map(sensor)]), telemetry: null }
    expect(() => buffer?.append(2, broken as unknown as LineChunk, 0)).toThrow(/NOT NULL/)
    expect(buffer.size()).toBe(3)
    expect(buffer.maxSeq()).toBe(1)
    buffer.close()
    buffer = openDiskBuffer(dir.path, 1_000_000)
    expect(buffer.size()).toBe(3)
    expect(temperatures(buffer.oldest(10))).toEqual([0, 1, 2])
  })

  it('replays the points an older release buffered one JSON row per point, in their order, after the upgrade', () => {
    const file = join(dir.path, 'influx-buffer.db')
    const old = new Database(file)
    old.exec(`
CREATE TABLE points (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, keep INTEGER NOT NULL,
  buffered_at INTEGER NOT NULL, point TEXT NOT NULL);
CREATE INDEX points_order ON points (seq, id);
CREATE INDEX points_drop ON points (keep, seq, id);
PRAGMA user_version = 1;`)
    const insert = old.prepare('INSERT INTO points (seq, keep, buffered_at, point) VALUES (?, ?, ?, ?)')
    const points = [...range(0, 3).map(sensor), alarm(3), ...range(4, 2500).map(sensor)]
    old.transaction(() => {
      points.forEach((p, i) => {
        insert.run(i < 2000 ? 4 : 3, p.measurement === 'alarm' ? 1 : 0, 9_000, JSON.stringify(p))
      })
    })()
    old.close()

    buffer = openDiskBuffer(dir.path, 1_000_000)
    expect(buffer.size()).toBe(points.length)
    expect(buffer.maxSeq()).toBe(4)
    expect(buffer.oldestBufferedAt()).toBe(9_000)
    const all = buffer.oldest(10_000)
    // seq 3 (the last 500 readings) was cut first; within a seq, the order they were buffered in
    expect(temperatures(all)).toEqual([...range(2000, 2500), ...range(0, 3), ...range(4, 2000)])
    expect(held(all, 'alarm', 'alarm_id')).toEqual(['a3'])
    buffer.remove(all, all.lines)
    expect(buffer.size()).toBe(0)
  })
})
