import { describe, expect, it } from 'vitest'
import { createDistinctTimestamps } from './distinctTimestamps.js'
import type { TelemetryPoint } from './points.js'

const T = 1_795_000_000_000
const reading = (device: string, fields: TelemetryPoint['fields'], ts = T): TelemetryPoint => ({
  measurement: 'sensor',
  tags: { store: 's1', device, type: 'smoke', zone: 'hall' },
  fields,
  ts,
})

describe('two points of one series never share a millisecond', () => {
  it('moves the second reading of a device in the same millisecond 1 ms later, so InfluxDB keeps both', () => {
    const clock = createDistinctTimestamps()
    const stamped = [1, 2, 3].map((v) => clock.stamp(reading('smoke-1', { linkquality: v })).ts)
    expect(stamped).toEqual([T, T + 1, T + 2])
  })

  it('keeps the next reading after a burst after the burst, in order', () => {
    const clock = createDistinctTimestamps()
    clock.stamp(reading('smoke-1', { linkquality: 1 }))
    clock.stamp(reading('smoke-1', { linkquality: 2 }))
    clock.stamp(reading('smoke-1', { linkquality: 3 }))
    expect(clock.stamp(reading('smoke-1', { linkquality: 4 }, T + 1)).ts).toBe(T + 3)
    expect(clock.stamp(reading('smoke-1', { linkquality: 5 }, T + 10)).ts).toBe(T + 10)
  })

  it('leaves other devices at their own time; another point of the same device in that ms moves, whatever its fields', () => {
    const clock = createDistinctTimestamps()
    clock.stamp(reading('smoke-1', { linkquality: 1 }))
    expect(clock.stamp(reading('smoke-2', { linkquality: 1 })).ts).toBe(T)
    expect(clock.stamp(reading('smoke-1', { battery: 90 })).ts).toBe(T + 1)
  })

  it('tells alarm events apart by their tags', () => {
    const clock = createDistinctTimestamps()
    const alarm = (tags: Record<string, string>): TelemetryPoint => ({
      measurement: 'alarm',
      tags,
      fields: { action: 'raised' },
      ts: T,
    })
    clock.stamp(alarm({ store: 's1', kind: 'fire', device: 'smoke-1' }))
    expect(clock.stamp(alarm({ store: 's1', kind: 'fire', device: 'smoke-1' })).ts).toBe(T + 1)
    expect(clock.stamp(alarm({ store: 's1', kind: 'flood', device: 'smoke-1' })).ts).toBe(T)
  })

  it('returns the same point when nothing collides, and never changes the one it was given', () => {
    const clock = createDistinctTimestamps()
    const first = reading('smoke-1', { linkquality: 1 })
    expect(clock.stamp(first)).toBe(first)
    const second = reading('smoke-1', { linkquality: 2 })
    expect(clock.stamp(second).ts).toBe(T + 1)
    expect(second.ts).toBe(T)
  })

  it('forgets series that have been quiet for a minute once many are remembered', () => {
    const clock = createDistinctTimestamps()
    for (let i = 0; i < 4096; i++) clock.stamp(reading(`old-${i}`, { v: 1 }))
    expect(clock.size()).toBe(4096)
    clock.stamp(reading('new', { v: 1 }, T + 120_000))
    expect(clock.size()).toBe(1)
  })
})
