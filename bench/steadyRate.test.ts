import { describe, expect, it } from 'vitest'
import { type LandedSample, steadyRate } from './steadyRate.js'

/**
 * Polls every 100 ms of a count that lands `batch` readings every `everyMs` from the first publish
 * (at 0), and then the last `tail` readings `tailMs` later.
 */
function polls(o: { total: number; batch: number; everyMs: number; tail: number; tailMs: number }): LandedSample[] {
  const samples: LandedSample[] = []
  const body = o.total - o.tail
  let bodyDoneAt = Number.POSITIVE_INFINITY
  for (let at = 0; ; at += 100) {
    let landed = Math.min(body, Math.floor(at / o.everyMs) * o.batch)
    if (landed >= body) bodyDoneAt = Math.min(bodyDoneAt, at)
    if (at >= bodyDoneAt + o.tailMs) landed = o.total
    samples.push({ at, landed })
    if (landed >= o.total) return samples
  }
}

describe('steadyRate', () => {
  it('leaves out the last batch waiting for its flush timer', () => {
    // 5000 readings every 100 ms: 50 000/s, then 4000 readings a second later
    const samples = polls({ total: 104_000, batch: 5000, everyMs: 100, tail: 4000, tailMs: 1000 })
    expect(steadyRate(samples, 0, 104_000, 0)).toBeGreaterThan(48_000)
    expect(steadyRate(samples, 0, 104_000, 0)).toBeLessThan(52_000)
  })

  it('counts from the count and the time the run started at', () => {
    const samples = polls({ total: 100_000, batch: 5000, everyMs: 200, tail: 0, tailMs: 0 }).map((s) => ({
      at: s.at + 5000,
      landed: s.landed + 70_000,
    }))
    const rate = steadyRate(samples, 70_000, 100_000, 5000)
    expect(rate).toBeGreaterThan(24_000)
    expect(rate).toBeLessThan(26_000)
  })

  it('has no rate when the count never gets there', () => {
    expect(
      steadyRate(
        [
          { at: 0, landed: 0 },
          { at: 100, landed: 10 },
        ],
        0,
        1000,
        0,
      ),
    ).toBeNull()
  })
})
