import { describe, expect, it } from 'vitest'
import { createLoginBackoff } from './loginBackoff.js'

function clocked(options: { freeFailures?: number; baseMs?: number; maxMs?: number; maxSources?: number } = {}) {
  let nowMs = 10_000
  const backoff = createLoginBackoff({ freeFailures: 3, baseMs: 1_000, maxMs: 8_000, ...options, now: () => nowMs })
  return {
    backoff,
    advance: (ms: number) => {
      nowMs += ms
    },
  }
}

describe('login back-off', () => {
  it('lets the free failures through, then opens a window that doubles up to maxMs', () => {
    const { backoff, advance } = clocked()
    for (let i = 0; i < 3; i++) backoff.failed('a')
    expect(backoff.waitMs('a')).toBe(0)
    const windows: number[] = []
    for (let i = 0; i < 6; i++) {
      backoff.failed('a')
      const wait = backoff.waitMs('a')
      windows.push(wait)
      advance(wait)
      expect(backoff.waitMs('a')).toBe(0)
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000])
  })

  it('never holds back another address', () => {
    const { backoff } = clocked({ freeFailures: 0 })
    backoff.failed('attacker')
    expect(backoff.waitMs('attacker')).toBe(1_000)
    expect(backoff.waitMs('manager')).toBe(0)
  })

  it('starts an address afresh after a success', () => {
    const { backoff } = clocked({ freeFailures: 1 })
    backoff.failed('a')
    backoff.failed('a')
    expect(backoff.waitMs('a')).toBe(1_000)
    backoff.succeeded('a')
    expect(backoff.waitMs('a')).toBe(0)
    backoff.failed('a')
    expect(backoff.waitMs('a')).toBe(0)
  })

  it('forgets an address quiet for twice maxMs, not sooner', () => {
    const { backoff, advance } = clocked({ freeFailures: 1 })
    backoff.failed('a')
    backoff.failed('a')
    advance(15_999)
    backoff.failed('a') // still remembered: the window grows
    expect(backoff.waitMs('a')).toBe(2_000)
    advance(16_000)
    expect(backoff.waitMs('a')).toBe(0)
    expect(backoff.size).toBe(0)
  })

  it('remembers at most maxSources addresses, forgetting the one that failed longest ago', () => {
    const { backoff } = clocked({ freeFailures: 0, maxSources: 2 })
    backoff.failed('a')
    backoff.failed('b')
    backoff.failed('a')
    backoff.failed('c')
    expect(backoff.size).toBe(2)
    expect(backoff.waitMs('b')).toBe(0)
    expect(backoff.waitMs('a')).toBe(2_000)
    expect(backoff.waitMs('c')).toBe(1_000)
  })
})
