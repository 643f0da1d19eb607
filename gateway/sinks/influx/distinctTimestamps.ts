import type { TelemetryPoint } from './points.js'

/** How long a series' last timestamp is remembered; later points are stamped "now" and cannot collide. */
const REMEMBER_MS = 60_000
/** Sweep old entries once the map has grown past this many series fields. */
const SWEEP_AT = 4096

/**
 * InfluxDB keeps one value per series, field and timestamp: a second point
 * with the same measurement, tags and field at the same millisecond
 * silently overwrites the first. The gateway stamps readings on receipt, so
 * a burst (a broker handing over a backlog, a busy event loop draining its
 * socket) can put two readings of one device in one millisecond, and one of
 * them would vanish from the history without any error.
 *
 * This keeps, per series and field, the last timestamp handed out, and moves
 * a colliding point 1 ms past it. Points with different fields at the same
 * instant (temperature and humidity of one message) are left together: they
 * merge into one row, as they should.
 */
export interface DistinctTimestamps {
  /** The point itself, or a copy 1 ms (or more) after the last point of any of its fields' series. */
  stamp(point: TelemetryPoint): TelemetryPoint
  /** Series fields remembered (a gauge for tests and leaks). */
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
      const keys = Object.keys(point.fields).map((field) => `${series}\u0000${field}`)
      let ts = Math.trunc(point.ts)
      for (const key of keys) {
        const previous = last.get(key)
        if (previous !== undefined && previous >= ts) ts = previous + 1
      }
      for (const key of keys) last.set(key, ts)
      if (last.size > SWEEP_AT) sweep(ts)
      return ts === point.ts ? point : { ...point, ts }
    },
    size: () => last.size,
  }
}

/** Measurement and tags in a fixed order: the series identity InfluxDB uses. */
function seriesKey(point: TelemetryPoint): string {
  const tags = Object.keys(point.tags)
    .sort()
    .map((k) => `${k}=${point.tags[k]}`)
  return `${point.measurement},${tags.join(',')}`
}
