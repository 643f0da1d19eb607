import type { EventBus } from '../core/events.js'
import type { Reading, ReadingValue } from '../core/reading.js'

/** One metric of one device over an interval. Numbers get their spread; other values only the last. */
export type MetricSummary =
  | { readonly n: number; readonly last: number; readonly min: number; readonly max: number; readonly mean: number }
  | { readonly n: number; readonly last: boolean | string }

export interface DeviceSummary {
  readonly store: string
  readonly deviceId: string
  readonly type: string
  readonly zone: string
  /** ISO 8601: first and last reading of the interval. */
  readonly from: string
  readonly to: string
  readonly metrics: Readonly<Record<string, MetricSummary>>
}

interface Accumulator {
  n: number
  last: ReadingValue
  /** How many of the `n` values were numbers: min, max and mean are over these alone. */
  numbers: number
  min: number
  max: number
  sum: number
}

interface DeviceWindow {
  readonly reading: Reading
  firstTs: number
  lastTs: number
  readonly metrics: Map<string, Accumulator>
}

/**
 * Downsampled telemetry for the centre (docs/requirements.md#upstream-bridge, optional): per device,
 * one summary per interval instead of every reading. The full-rate series
 * go to InfluxDB directly; this is for a central view that must not carry
 * every store's raw readings through the broker cluster.
 */
export function createTelemetrySummaries() {
  let windows = new Map<string, DeviceWindow>()
  return {
    add(reading: Reading): void {
      let w = windows.get(reading.deviceId)
      if (!w) {
        w = { reading, firstTs: reading.ts, lastTs: reading.ts, metrics: new Map() }
        windows.set(reading.deviceId, w)
      }
      w.firstTs = Math.min(w.firstTs, reading.ts)
      w.lastTs = Math.max(w.lastTs, reading.ts)
      const v = reading.value
      let acc = w.metrics.get(reading.metric)
      if (!acc) {
        // a metric may start with a string (a decoder's uncertain guess): its min is not 0 for that
        acc = { n: 0, last: v, numbers: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, sum: 0 }
        w.metrics.set(reading.metric, acc)
      }
      acc.n++
      acc.last = v
      if (typeof v === 'number') {
        acc.numbers++
        acc.min = Math.min(acc.min, v)
        acc.max = Math.max(acc.max, v)
        acc.sum += v
      }
    },
    /** The summaries since the last call, one per device heard from; starts a new interval. */
    take(): DeviceSummary[] {
      const done = windows
      windows = new Map()
      return [...done.values()].map(summarize)
    },
  }
}

function summarize(w: DeviceWindow): DeviceSummary {
  const metrics: Record<string, MetricSummary> = {}
  for (const [name, acc] of w.metrics) {
    metrics[name] =
      typeof acc.last === 'number'
        ? { n: acc.n, last: acc.last, min: acc.min, max: acc.max, mean: round(acc.sum / acc.numbers) }
        : { n: acc.n, last: acc.last }
  }
  return {
    store: w.reading.store,
    deviceId: w.reading.deviceId,
    type: w.reading.deviceType,
    zone: w.reading.zone,
    from: new Date(w.firstTs).toISOString(),
    to: new Date(w.lastTs).toISOString(),
    metrics,
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Summarises every reading on `events` and hands the summaries to `send` every `intervalSec`; returns stop. */
export function forwardTelemetrySummaries(
  events: Pick<EventBus, 'subscribe'>,
  intervalSec: number,
  send: (summary: DeviceSummary) => void,
): () => void {
  const summaries = createTelemetrySummaries()
  const unsubscribe = events.subscribe((e) => {
    if (e.type === 'reading') summaries.add(e.reading)
  })
  const timer = setInterval(() => {
    for (const s of summaries.take()) send(s)
  }, intervalSec * 1000)
  timer.unref()
  return () => {
    unsubscribe()
    clearInterval(timer)
  }
}
