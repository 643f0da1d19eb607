import { describe, expect, it } from 'vitest'
import { type LandedSample, steadyRate } from './steadyRate.js'

/** Polls every 100 ms of a count that lands `batch` readings every `everyMs`, after `startMs` of nothing. */
function polls(o: { total: number; batch: number; everyMs: number; startMs: number; base?: number }): LandedSample[] {
  const base = o.base ?? 0
  const samples: LandedSample[] = []
  for (let at = 0; ; at += 100) {
    const batches = at < o.startMs ? 0 : Math.floor((at - o.startMs) / o.everyMs) + 1
    const landed = Math.min(o.total, batches * o.batch)
    samples.push({ at, landed: base + landed })
    if (landed >= o.total) return samples
  }
}

describe('steadyRate', () => {
  it('is the landing rate, whatever the run spent before its first landing', () => {
    // 5000 readings every 250 ms: 20 000/s, after 3 s of start-up
    const rate = steadyRate(polls({ total: 200_000, batch: 5000, everyMs: 250, startMs: 3000 }), 0, 200_000)
    expect(rate).toBeCloseTo(20_000, -2)
  })

  it('gives a short run and a long one the same rate', () => {
    const short = steadyRate(polls({ total: 40_000, batch: 5000, everyMs: 250, startMs: 1000 }), 0, 40_000)
    const long = steadyRate(polls({ total: 400_000, batch: 5000, everyMs: 250, startMs: 1000 }), 0, 400_000)
    expect(short).toBeCloseTo(20_000, -2)
    expect(long).toBeCloseTo(20_000, -2)
  })

  it('counts from the count the run started at', () => {
    const rate = steadyRate(
      polls({ total: 100_000, batch: 5000, everyMs: 500, startMs: 0, base: 70_000 }),
      70_000,
      100_000,
    )
    expect(rate).toBeCloseTo(10_000, -2)
  })

  it('has no rate when too few landings fall in the window', () => {
    expect(steadyRate(polls({ total: 10_000, batch: 5000, everyMs: 250, startMs: 0 }), 0, 10_000)).toBeNull()
  })
})
