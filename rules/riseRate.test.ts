import { describe, expect, it } from 'vitest'
import { createRiseRate } from './riseRate.js'

describe('rate of rise over a sliding window', () => {
  it('reads a steady rise of 6 °C per minute from readings every 10 s', () => {
    const rise = createRiseRate({ windowMs: 60_000, minSpanMs: 20_000 })
    for (let t = 0; t <= 60_000; t += 10_000) rise.add('heat-1', t, 20 + t / 10_000)
    expect(rise.rate('heat-1', 60_000)).toBeCloseTo(6, 5)
  })

  it('stays bounded and still sees the rise when a device reports every 5 ms', () => {
    const rise = createRiseRate({ windowMs: 60_000, minSpanMs: 20_000 })
    for (let t = 0; t <= 120_000; t += 5) rise.add('heat-1', t, 20 + t / 10_000)
    expect(rise.size('heat-1')).toBeLessThanOrEqual(125)
    expect(rise.rate('heat-1', 120_000)).toBeCloseTo(6, 1)
  })

  it('forgets points older than the window and says nothing with too little history', () => {
    const rise = createRiseRate({ windowMs: 60_000, minSpanMs: 20_000 })
    rise.add('heat-1', 0, 20)
    rise.add('heat-1', 10_000, 21)
    expect(rise.rate('heat-1', 10_000)).toBeNull()
    rise.add('heat-1', 200_000, 30)
    expect(rise.size('heat-1')).toBe(1)
  })
})
