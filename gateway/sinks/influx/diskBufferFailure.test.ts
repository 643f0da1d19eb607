import { afterEach, describe, expect, it } from 'vitest'
import { type ReadOnlyDir, readOnlyDir, type SmallDisk, smallDisk } from '../../../test/support/diskFaults.js'
import { diskErrorCode } from '../../storage/diskErrors.js'
import { type DiskBuffer, openDiskBuffer } from './diskBuffer.js'
import { createLineBatch, type LineChunk } from './lineBatch.js'
import type { TelemetryPoint } from './points.js'

const sensor = (i: number): TelemetryPoint => ({
  measurement: 'sensor',
  tags: { store: 's1', device: 'temp-1', type: 'temperature', zone: 'hall' },
  fields: { temperature: i, note: 'x'.repeat(200) },
  ts: 1_000 + i,
})
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k)
function sensors(from: number, to: number): LineChunk {
  const batch = createLineBatch()
  for (const i of range(from, to)) batch.add(sensor(i))
  return batch.seal()
}

describe('the InfluxDB buffer on a failing data disk', () => {
  let disk: SmallDisk | undefined
  let ro: ReadOnlyDir | undefined
  let buffer: DiskBuffer | undefined
  afterEach(() => {
    buffer?.close()
    buffer = undefined
    disk?.remove()
    disk = undefined
    ro?.remove()
    ro = undefined
  })

  it('opens in memory, bounded the same way, when the data dir is read-only', () => {
    ro = readOnlyDir()
    ro.readOnly()
    buffer = openDiskBuffer(ro.path, 10)
    expect(buffer.persistent).toBe(false)
    buffer.append(1, sensors(0, 15), 0)
    expect(buffer.size()).toBe(10)
    const temperatures = buffer
      .oldest(3)
      .body.split('\n')
      .filter((l) => l !== '')
      .map((l) => Number(/temperature=([^ ,]+)/.exec(l)?.[1]))
    expect(temperatures).toEqual([5, 6, 7])
  })

  it('opens in memory when the disk is too full for the buffer file', () => {
    disk = smallDisk(256)
    disk.fill()
    buffer = openDiskBuffer(disk.path, 100)
    expect(buffer.persistent).toBe(false)
    buffer.append(1, sensors(0, 3), 0)
    expect(buffer.size()).toBe(3)
  })

  it('a full disk refuses an append with a disk error the writer counts as dropped, not a crash', () => {
    disk = smallDisk(512)
    buffer = openDiskBuffer(disk.path, 100_000)
    expect(buffer.persistent).toBe(true)
    disk.fill()
    let refused: unknown
    try {
      for (let seq = 1; seq < 200; seq++) buffer.append(seq, sensors(0, 50), 0)
    } catch (err) {
      refused = err
    }
    expect(diskErrorCode(refused)).toMatch(/^SQLITE_FULL/)
  })

  it('does not replay delivered points again when the full disk will not let it delete them', () => {
    disk = smallDisk(1024)
    buffer = openDiskBuffer(disk.path, 100_000)
    let seq = 0
    // fill the WAL with appends until the disk is full, so a delete has no room either
    buffer.append(++seq, sensors(0, 20), 0)
    disk.fill()
    try {
      for (;;) buffer.append(++seq, sensors(0, 20), 0)
    } catch (err) {
      expect(diskErrorCode(err)).toMatch(/^SQLITE_FULL/)
    }
    const held = buffer.size()
    const first = buffer.oldest(10)
    expect(() => buffer?.remove(first, first.lines)).not.toThrow()
    expect(buffer.size()).toBe(held - 10)
    // the first 10 of batch 1's 20 readings went; the replay resumes at the 11th
    const next = buffer.oldest(10)
    expect(next.body.split('\n')[0]).toMatch(/temperature=10,/)
  })
})
