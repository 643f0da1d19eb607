/** One poll of the landed count: when its answer came (performance.now(), ms) and the count. */
export interface LandedSample {
  readonly at: number
  readonly landed: number
}

/** The share of a run's readings before the steady window (start-up, JIT, the first batch) … */
export const STEADY_FROM = 0.1
/** … and after it (the last, partial batch waits for the flush timer; the count is polled). */
export const STEADY_TO = 0.9

/**
 * Readings/s a contender lands once it is going (bench/README.md "How the ingest rate is
 * measured"): the slope of the landed count over the landings between STEADY_FROM and STEADY_TO
 * of the run's `total` readings, by least squares. A landing is a poll whose count grew; it
 * happened between that poll and the one before, so it is placed halfway. Whatever a run spends
 * once — connecting, the first batch filling, the last one waiting for its flush timer, the
 * polling interval — stays out of the figure, so a short run and a long one give the same rate.
 * Null when fewer than three landings fall in the window (too few readings for a slope).
 */
export function steadyRate(samples: readonly LandedSample[], base: number, total: number): number | null {
  const landings: LandedSample[] = []
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1] as LandedSample
    const cur = samples[i] as LandedSample
    const landed = cur.landed - base
    if (cur.landed > prev.landed && landed >= STEADY_FROM * total && landed <= STEADY_TO * total) {
      landings.push({ at: (prev.at + cur.at) / 2, landed })
    }
  }
  if (landings.length < 3) return null
  const n = landings.length
  const meanAt = landings.reduce((s, l) => s + l.at, 0) / n
  const meanLanded = landings.reduce((s, l) => s + l.landed, 0) / n
  let covariance = 0
  let variance = 0
  for (const l of landings) {
    covariance += (l.at - meanAt) * (l.landed - meanLanded)
    variance += (l.at - meanAt) ** 2
  }
  return variance === 0 ? null : (covariance / variance) * 1000
}
