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

/**
 * Measurement and tag values: the series identity InfluxDB uses. Tags are
 * taken in the order the point was built — points.ts builds every point of
 * a measurement with the same tag keys in the same order — since sorting
 * them for every reading cost more than the rest of this module.
 */
function seriesKey(point: TelemetryPoint): string {
  let key = point.measurement
  for (const tag in point.tags) key += `,${tag}=${point.tags[tag]}`
  return key
}
