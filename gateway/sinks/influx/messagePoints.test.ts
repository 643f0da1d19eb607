import { describe, expect, it } from 'vitest'
import type { Reading } from '../../core/reading.js'
import { createMessagePoints } from './messagePoints.js'
import type { TelemetryPoint } from './points.js'

const T = 1_795_000_000_000
const reading = (deviceId: string, metric: string, value: number, ts = T): Reading => ({
  store: 's1',
  deviceId,
  deviceType: 'temperature',
  zone: 'hall',
  metric,
  value,
  ts,
  quality: 'good',
})

describe('the readings of one message become one point', () => {
  it('merges the metrics of one device at one instant into one point with a field each, by the end of the tick', async () => {
    const out: TelemetryPoint[] = []
    const points = createMessagePoints((p) => out.push(p))
    points.reading(reading('t-1', 'temperature', 21.5))
    points.reading(reading('t-1', 'humidity', 40))
    points.reading(reading('t-1', 'battery', 90))
    expect(out).toEqual([])
    await Promise.resolve()
    expect(out).toEqual([
      {
        measurement: 'sensor',
        tags: { store: 's1', device: 't-1', type: 'temperature', zone: 'hall' },
        fields: { temperature: 21.5, humidity: 40, battery: 90 },
        ts: T,
      },
    ])
  })

  it('starts a new point for another device, another instant, or a metric seen twice', async () => {
    const out: TelemetryPoint[] = []
    const points = createMessagePoints((p) => out.push(p))
    points.reading(reading('t-1', 'temperature', 21))
    points.reading(reading('t-2', 'temperature', 22))
    points.reading(reading('t-2', 'temperature', 23))
    points.reading(reading('t-2', 'humidity', 50, T + 1))
    await Promise.resolve()
    expect(out.map((p) => [p.tags.device, p.fields, p.ts])).toEqual([
      ['t-1', { temperature: 21 }, T],
      ['t-2', { temperature: 22 }, T],
      ['t-2', { temperature: 23 }, T],
      ['t-2', { humidity: 50 }, T + 1],
    ])
  })

  it('flush hands on the point at once, and only once', async () => {
    const out: TelemetryPoint[] = []
    const points = createMessagePoints((p) => out.push(p))
    points.reading(reading('t-1', 'temperature', 21))
    points.flush()
    expect(out).toHaveLength(1)
    await Promise.resolve()
    expect(out).toHaveLength(1)
  })
})
