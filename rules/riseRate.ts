export interface RiseRateOptions {
  /** Only points this recent count (ms). */
  readonly windowMs: number
  /** Points closer together than this are not enough to judge a rate (ms). */
  readonly minSpanMs: number
  readonly minPoints?: number
}

/**
 * Per-device rate of change over a sliding window, by least squares, in units
 * per minute: heat rate-of-rise (docs/requirements.md#fire) and a rising water level's
 * time to critical (docs/requirements.md#flood).
 */
export function createRiseRate(options: RiseRateOptions) {
  const minPoints = options.minPoints ?? 3
  // At most about this many points per window: a device reporting every few ms (a fault, a flood of
  // messages) would otherwise make every reading cost a pass over thousands of points.
  const slotMs = options.windowMs / MAX_POINTS_PER_WINDOW
  const history = new Map<string, { ts: number; value: number }[]>()
  /** Drops points older than the window, in place, from the front. */
  const prune = (points: { ts: number; value: number }[], now: number) => {
    let old = 0
    while (old < points.length && now - (points[old] as { ts: number }).ts > options.windowMs) old++
    if (old > 0) points.splice(0, old)
  }
  const recent = (deviceId: string, now: number) =>
    (history.get(deviceId) ?? []).filter((p) => now - p.ts <= options.windowMs && p.ts <= now)

  return {
    add(deviceId: string, ts: number, value: number): void {
      const points = history.get(deviceId) ?? []
      history.set(deviceId, points)
      prune(points, ts)
      const last = points.at(-1)
      const previous = points.at(-2)
      // a reading within a slot of the point before the last replaces the last: stored points stay a
      // slot apart, so the trend is kept and the work per reading bounded
      if (last !== undefined && previous !== undefined && ts >= last.ts && ts - previous.ts < slotMs) {
        last.ts = ts
        last.value = value
      } else {
        points.push({ ts, value })
      }
    },
    /** Points held for a device (bounded by the window). */
    size: (deviceId: string) => history.get(deviceId)?.length ?? 0,
    /** The rate per minute at `now`, or null with too little recent history. */
    rate(deviceId: string, now: number): number | null {
      const points = recent(deviceId, now)
      const first = points[0]
      const last = points.at(-1)
      if (points.length < minPoints || !first || !last || last.ts - first.ts < options.minSpanMs) return null
      return slopePerMin(points)
    },
  }
}

/** Bounds the history a device can build up within one window. */
const MAX_POINTS_PER_WINDOW = 120

function slopePerMin(points: readonly { ts: number; value: number }[]): number {
  const n = points.length
  const meanT = points.reduce((s, p) => s + p.ts, 0) / n
  const meanV = points.reduce((s, p) => s + p.value, 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.ts - meanT) * (p.value - meanV)
    den += (p.ts - meanT) ** 2
  }
  return den === 0 ? 0 : (num / den) * 60_000
}
