export interface RiseRateOptions {
  /** Only points this recent count (ms). */
  readonly windowMs: number
  /** Points closer together than this are not enough to judge a rate (ms). */
  readonly minSpanMs: number
  readonly minPoints?: number
}

/**
 * Per-device rate of change over a sliding window, by least squares, in units
 * per minute: heat rate-of-rise (SPEC §5 fire) and a rising water level's
 * time to critical (SPEC §5 flood).
 */
export function createRiseRate(options: RiseRateOptions) {
  const minPoints = options.minPoints ?? 3
  const history = new Map<string, { ts: number; value: number }[]>()
  const recent = (deviceId: string, now: number) =>
    (history.get(deviceId) ?? []).filter((p) => now - p.ts <= options.windowMs && p.ts <= now)

  return {
    add(deviceId: string, ts: number, value: number): void {
      history.set(deviceId, [...recent(deviceId, ts), { ts, value }])
    },
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
