import { describe, expect, it } from 'vitest'
import { backoffDelayMs } from './backoff.js'

const highest = () => 0.999_999
const lowest = () => 0

describe('back-off', () => {
  it('doubles the ceiling with every failed attempt, starting at two seconds', () => {
    const delays = [1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, undefined, { random: highest }))
    expect(delays).toEqual([1_999, 3_999, 7_999, 15_999])
  })

  it('never waits longer than five minutes however often it failed', () => {
    expect(backoffDelayMs(40, undefined, { random: highest })).toBe(299_999)
    expect(backoffDelayMs(5_000, undefined, { random: highest })).toBe(299_999)
  })

  it('spreads retries uniformly between zero and the ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, undefined, { random: lowest })).toBe(0)
    expect(backoffDelayMs(3, undefined, { random: () => 0.5 })).toBe(4_000)
  })

  it('waits at least as long as the far end asked in Retry-After', () => {
    expect(backoffDelayMs(1, 30_000, { random: highest })).toBe(30_000)
    expect(backoffDelayMs(1, 10 * 60_000, { random: highest })).toBe(600_000)
  })

  it('keeps its own longer delay when Retry-After is shorter', () => {
    expect(backoffDelayMs(6, 1_000, { random: highest })).toBe(63_999)
  })

  it('takes base and cap from its options', () => {
    expect(backoffDelayMs(3, undefined, { baseMs: 100, capMs: 250, random: highest })).toBe(249)
  })
})
