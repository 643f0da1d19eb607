import { describe, expect, it } from 'vitest'
import type { RaiseIntent } from '../core/intent.js'
import { createChatterFilter } from './chatterFilter.js'
import { sampleLeak } from './testing/sampleIntents.js'

const leak: RaiseIntent = sampleLeak
const settings = { chatterCycles: 3, chatterWindowSec: 60, chatterSettleSec: 60 }

describe('chatter filter', () => {
  it('passes an input that raises and clears now and then', () => {
    const f = createChatterFilter(settings)
    expect(f.raise(leak, 0)).toBe('pass')
    expect(f.clear(leak.key, 10_000)).toBe('pass')
    expect(f.raise(leak, 70_000)).toBe('pass')
    expect(f.clear(leak.key, 80_000)).toBe('pass')
    expect(f.raise(leak, 140_000)).toBe('pass')
  })

  it('the third raise within a minute marks the alarm chattering, and later changes are suppressed', () => {
    const f = createChatterFilter(settings)
    expect(f.raise(leak, 0)).toBe('pass')
    expect(f.clear(leak.key, 5_000)).toBe('pass')
    expect(f.raise(leak, 10_000)).toBe('pass')
    expect(f.clear(leak.key, 15_000)).toBe('pass')
    expect(f.raise(leak, 20_000)).toBe('pass_and_mark')
    expect(f.clear(leak.key, 25_000)).toBe('suppress')
    expect(f.raise(leak, 30_000)).toBe('suppress')
  })

  it('a repeated raise without a clear in between is not a cycle', () => {
    const f = createChatterFilter(settings)
    for (let t = 0; t < 50_000; t += 5_000) expect(f.raise(leak, t)).toBe('pass')
  })

  it('once quiet for the settle time, the latest condition is applied once', () => {
    const f = createChatterFilter(settings)
    for (const [t, raise] of [
      [0, true],
      [5, false],
      [10, true],
      [15, false],
      [20, true],
      [25, false],
    ] as const) {
      if (raise) f.raise(leak, t * 1000)
      else f.clear(leak.key, t * 1000)
    }
    expect(f.tick(60_000)).toEqual([])
    expect(f.tick(85_000)).toEqual([{ key: leak.key, raise: null }])
    expect(f.tick(90_000)).toEqual([])
    expect(f.raise(leak, 91_000)).toBe('pass')
  })

  it('a chattering input that settles while active is raised again with its last intent', () => {
    const f = createChatterFilter(settings)
    for (const t of [0, 10, 20]) {
      f.raise(leak, t * 1000)
      if (t < 20) f.clear(leak.key, t * 1000 + 5000)
    }
    expect(f.tick(80_000)).toEqual([{ key: leak.key, raise: leak }])
  })
})
