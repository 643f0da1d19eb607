import { describe, expect, it } from 'vitest'
import type { DeviceType, Reading, ReadingValue } from '../core/reading.js'
import { createTelemetrySummaries } from './telemetrySummary.js'

const T0 = Date.parse('2026-11-23T10:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

function reading(
  deviceId: string,
  metric: string,
  value: ReadingValue,
  ts: number,
  deviceType: DeviceType = 'temperature',
): Reading {
  return { store: 'test-store', deviceId, deviceType, zone: 'backroom', metric, value, ts, quality: 'good' }
}

describe('telemetry summaries for the centre', () => {
  it('summarises a numeric metric as count, min, max, mean and last', () => {
    const summaries = createTelemetrySummaries()
    for (const [i, v] of [21.5, 19, 24.25, 22].entries()) summaries.add(reading('temp-1', 'temperature', v, T0 + i))
    const [summary, ...others] = summaries.take()
    expect(others).toEqual([])
    expect(summary).toEqual({
      store: 'test-store',
      deviceId: 'temp-1',
      type: 'temperature',
      zone: 'backroom',
      from: iso(T0),
      to: iso(T0 + 3),
      metrics: { temperature: { n: 4, last: 22, min: 19, max: 24.25, mean: 21.6875 } },
    })
  })

  it('keeps only the count and the last value of a boolean or string metric', () => {
    const summaries = createTelemetrySummaries()
    summaries.add(reading('ups-1', 'mains_ok', true, T0, 'power'))
    summaries.add(reading('ups-1', 'mains_ok', false, T0 + 1_000, 'power'))
    summaries.add(reading('ups-1', 'mode', 'battery', T0 + 2_000, 'power'))
    summaries.add(reading('ups-1', 'mode', 'online', T0 + 3_000, 'power'))
    expect(summaries.take()[0]?.metrics).toEqual({ mains_ok: { n: 2, last: false }, mode: { n: 2, last: 'online' } })
  })

  it('gives a metric that began as a string the spread of its numbers only', () => {
    const summaries = createTelemetrySummaries()
    summaries.add(reading('temp-1', 'temperature', 'n/a', T0))
    summaries.add(reading('temp-1', 'temperature', 25, T0 + 1))
    summaries.add(reading('temp-1', 'temperature', 27, T0 + 2))
    expect(summaries.take()[0]?.metrics.temperature).toEqual({ n: 3, last: 27, min: 25, max: 27, mean: 26 })
  })

  it('sends one summary per device heard from, with each device’s own metrics', () => {
    const summaries = createTelemetrySummaries()
    summaries.add(reading('temp-1', 'temperature', 20, T0))
    summaries.add(reading('queue-1', 'length', 3, T0 + 10, 'queue'))
    summaries.add(reading('temp-1', 'humidity', 55, T0 + 20))
    summaries.add(reading('queue-1', 'length', 5, T0 + 30, 'queue'))
    const byDevice = Object.fromEntries(summaries.take().map((s) => [s.deviceId, s]))
    expect(Object.keys(byDevice).sort()).toEqual(['queue-1', 'temp-1'])
    expect(byDevice['temp-1']).toMatchObject({ type: 'temperature', from: iso(T0), to: iso(T0 + 20) })
    expect(Object.keys(byDevice['temp-1']?.metrics ?? {}).sort()).toEqual(['humidity', 'temperature'])
    expect(byDevice['queue-1']).toMatchObject({
      type: 'queue',
      from: iso(T0 + 10),
      to: iso(T0 + 30),
      metrics: { length: { n: 2, min: 3, max: 5, mean: 4, last: 5 } },
    })
  })

  it('starts a new interval with each take: nothing twice, a quiet device not at all', () => {
    const summaries = createTelemetrySummaries()
    summaries.add(reading('temp-1', 'temperature', 20, T0))
    summaries.add(reading('temp-2', 'temperature', 30, T0))
    expect(summaries.take()).toHaveLength(2)
    expect(summaries.take()).toEqual([])
    summaries.add(reading('temp-1', 'temperature', 18, T0 + 60_000))
    const [next, ...others] = summaries.take()
    expect(others).toEqual([])
    expect(next).toMatchObject({
      deviceId: 'temp-1',
      from: iso(T0 + 60_000),
      to: iso(T0 + 60_000),
      metrics: { temperature: { n: 1, min: 18, max: 18, mean: 18, last: 18 } },
    })
  })

  it('spans the interval from the earliest to the latest reading time, whatever order they came in', () => {
    const summaries = createTelemetrySummaries()
    summaries.add(reading('temp-1', 'temperature', 20, T0 + 5_000))
    summaries.add(reading('temp-1', 'temperature', 21, T0 + 9_000))
    summaries.add(reading('temp-1', 'temperature', 22, T0 + 1_000))
    expect(summaries.take()[0]).toMatchObject({ from: iso(T0 + 1_000), to: iso(T0 + 9_000) })
  })
})
