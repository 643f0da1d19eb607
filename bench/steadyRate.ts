/** One poll of the landed count: when its answer came (performance.now(), ms) and the count. */
export interface LandedSample {
  readonly at: number
  readonly landed: number
}

/** The share of a run's readings the rate is taken over; the rest is the run's tail. */
export const STEADY_TO = 0.9

/**
 * Readings/s a contender lands, without the tail of the run (bench/README.md "How the ingest rate
 * is measured"): STEADY_TO of the run's `total` readings ÷ the time from the first publish (`t0`,
 * performance.now()) until they had landed. The tail — the last, partial batch waiting for its
 * flush timer (up to 1 s), the last poll — is paid once per run whatever its length, so it stays
 * out. The time is the landing's: halfway between the poll that saw the count pass STEADY_TO and
 * the poll before. Measured from the first publish, a contender's write queue draining fast late
 * in the run cannot lift the figure above what it had taken in. Null when the count never got there.
 */
export function steadyRate(samples: readonly LandedSample[], base: number, total: number, t0: number): number | null {
  const target = STEADY_TO * total
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as LandedSample
    const cur = samples[i] as LandedSample
    if (cur.landed - base >= target && prev.landed - base < target) {
      const at = Math.max(t0, (prev.at + cur.at) / 2)
      return at > t0 ? (target / (at - t0)) * 1000 : null
    }
  }
  return null
}
