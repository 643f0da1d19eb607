import { describe, expect, it } from 'vitest'
import { ChannelRateLimit, ROBOT_RATE_LIMITS } from './tokenBucket.js'

const T0 = 1_700_000_000_000

/** Sends as fast as the limit allows for `durationMs`, stepping time by `stepMs`; returns the send times. */
function sendFlatOut(limit: ChannelRateLimit, durationMs: number, stepMs: number): number[] {
  const sent: number[] = []
  for (let t = T0; t <= T0 + durationMs; t += stepMs) {
    while (limit.tryTake(t) === 0) sent.push(t)
  }
  return sent
}

/** The most sends in any closed window [t, t + windowMs]: the stricter reading of "per minute". */
function busiestWindow(sent: readonly number[], windowMs: number): number {
  let most = 0
  for (const start of sent) most = Math.max(most, sent.filter((t) => t >= start && t <= start + windowMs).length)
  return most
}

describe('channel rate limit', () => {
  it('lets a full bucket burst, then says how long until the next token', () => {
    const limit = new ChannelRateLimit([{ capacity: 3, refillPerSec: 0.5 }], T0)
    expect([limit.tryTake(T0), limit.tryTake(T0), limit.tryTake(T0)]).toEqual([0, 0, 0])
    expect(limit.tryTake(T0)).toBe(2_000)
    expect(limit.tryTake(T0 + 1_500)).toBe(500)
    expect(limit.tryTake(T0 + 2_000)).toBe(0)
  })

  it('does not take a token when it says wait', () => {
    const limit = new ChannelRateLimit([{ capacity: 1, refillPerSec: 1 }], T0)
    expect(limit.tryTake(T0)).toBe(0)
    for (let i = 0; i < 5; i++) expect(limit.tryTake(T0 + 500)).toBe(500)
    expect(limit.tryTake(T0 + 1_000)).toBe(0)
  })

  it('keeps a DingTalk or WeCom robot to 20 messages in any minute', () => {
    for (const buckets of [ROBOT_RATE_LIMITS.dingtalk, ROBOT_RATE_LIMITS.wecom]) {
      const sent = sendFlatOut(new ChannelRateLimit(buckets, T0), 10 * 60_000, 250)
      expect(busiestWindow(sent, 60_000)).toBe(20)
      expect(sent.length).toBeGreaterThanOrEqual(150) // 5 + 0.25/s · 600 s, give or take the edges
    }
  })

  it('keeps a Feishu bot to 5 messages in any second and 100 in any minute, both at once', () => {
    const sent = sendFlatOut(new ChannelRateLimit(ROBOT_RATE_LIMITS.feishu, T0), 3 * 60_000, 50)
    expect(busiestWindow(sent, 1_000)).toBeLessThanOrEqual(5)
    expect(busiestWindow(sent, 60_000)).toBeLessThanOrEqual(100)
    expect(busiestWindow(sent, 60_000)).toBeGreaterThanOrEqual(99)
  })

  it('reports the longest wait among several buckets', () => {
    const limit = new ChannelRateLimit(
      [
        { capacity: 1, refillPerSec: 10 },
        { capacity: 1, refillPerSec: 0.1 },
      ],
      T0,
    )
    expect(limit.tryTake(T0)).toBe(0)
    expect(limit.waitMs(T0)).toBe(10_000)
  })

  it('mints no tokens when the clock steps back', () => {
    const limit = new ChannelRateLimit([{ capacity: 1, refillPerSec: 1 }], T0)
    expect(limit.tryTake(T0)).toBe(0)
    expect(limit.tryTake(T0 - 60_000)).toBeGreaterThan(0)
  })

  it('refuses a bucket that could never hold a whole token', () => {
    expect(() => new ChannelRateLimit([{ capacity: 0.5, refillPerSec: 1 }], T0)).toThrow(RangeError)
    expect(() => new ChannelRateLimit([{ capacity: 2, refillPerSec: 0 }], T0)).toThrow(RangeError)
  })
})
