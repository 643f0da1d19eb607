import type { TelemetryPoint } from './points.js'

/** How long a series' last timestamp is remembered; later points are stamped "now" and cannot collide. */
const REMEMBER_MS = 60_000
/** Sweep old entries once the map has grown past this many series. */
const SWEEP_AT = 4096

/**
 * InfluxDB keeps one value per series, field and timestamp: a second point
 * with the same measurement, tags and field at the same millisecond
 * silently overwrites the first. The gateway stamps readings on receipt, so
 * a burst (a broker handing over a backlog, a busy event loop draining its
 * socket) can put two messages of one device in one millisecond, and one of
 * them would vanish from the history without any error.
 *
 * This keeps, per series, the last timestamp handed out, and moves a point
 * that would collide 1 ms past it. Per series, not per field: the readings
 * of one message are already one point (see messagePoints), so a second
 * point of a series in the same millisecond is another message.
 */
export interface DistinctTimestamps {
  /** The point itself, or a copy 1 ms (or more) after the last point of its series. */
  stamp(point: TelemetryPoint): TelemetryPoint
  /** Series remembered (a gauge for tests and leaks). */
  size(): number
}

export function createDistinctTimestamps(): DistinctTimestamps {
  const last = new Map<string, number>()

  const sweep = (newest: number) => {
    for (const [key, ts] of last) if (ts < newest - REMEMBER_MS) last.delete(key)
  }

  return {
    stamp(point) {
      const series = seriesKey(point)
      const previous = last.get(series)
      const wanted = Math.trunc(point.ts)
      const ts = previous !== undefined && previous >= wanted ? previous + 1 : wanted
      last.set(series, ts)
      if (last.size > SWEEP_AT) sweep(ts)
      return ts === point.ts ? point : { ...point, ts }
    },
    size: () => last.size,
  }
}

/**
 * Measurement and tag values: the series identity InfluxDB uses. Tags are
 * taken in the order the point was built — points.ts builds every point of
 * a measurement with the same tag keys in the same order — since sorting
 * them for every reading cost more than the rest of this module.
 */
function seriesKey(point: TelemetryPoint): string {
  // readings share one tags object per device (messagePoints): built once per device, not per reading
  const known = SERIES_KEYS.get(point.tags)
  if (known?.measurement === point.measurement) return known.key
  let key = point.measurement
  for (const tag in point.tags) key += `,${tag}=${point.tags[tag]}`
  SERIES_KEYS.set(point.tags, { measurement: point.measurement, key })
  return key
}

const SERIES_KEYS = new WeakMap<object, { measurement: string; key: string }>()
