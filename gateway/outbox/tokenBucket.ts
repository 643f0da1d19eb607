/** One bucket: holds up to `capacity` tokens, refilled continuously at `refillPerSec`. */
export interface BucketLimit {
  /** Largest burst, messages. */
  readonly capacity: number
  /** Sustained rate, messages per second. */
  readonly refillPerSec: number
}

/**
 * Presets that keep within the robots' documented limits (docs/requirements.md#rate-limits-and-grouping:
 * DingTalk and WeCom 20 messages per minute; Feishu 100 per minute and 5 per
 * second). A bucket lets through at most `capacity + refillPerSec · T` in any
 * T seconds, so the burst is paid for out of the sustained rate:
 * 5 + 0.25 · 60 = 20 per minute; 1 + 4 · 1 = 5 per second and
 * 20 + 80/60 · 60 = 100 per minute. DingTalk mutes a robot for 10 minutes
 * when it is exceeded, so these stay exactly on the limit, never above it.
 */
export const ROBOT_RATE_LIMITS = {
  dingtalk: [{ capacity: 5, refillPerSec: 0.25 }],
  wecom: [{ capacity: 5, refillPerSec: 0.25 }],
  feishu: [
    { capacity: 1, refillPerSec: 4 },
    { capacity: 20, refillPerSec: 80 / 60 },
  ],
} as const satisfies Record<string, readonly BucketLimit[]>

/** Float refills land a hair under a whole token; this keeps a due token due. */
const EPSILON = 1e-9

interface BucketState {
  readonly limit: BucketLimit
  tokens: number
  updatedAtMs: number
}

/**
 * A channel's rate limit: one or more token buckets that must all hold a
 * token before a message may go (Feishu needs a per-second and a per-minute
 * bucket). Buckets start full. Time comes in as epoch ms arguments, so the
 * caller's injected clock drives it. Nothing is ever refused for good:
 * `tryTake` says how long to wait instead (docs/requirements.md#rate-limits-and-grouping, "never by dropping").
 */
export class ChannelRateLimit {
  readonly #buckets: BucketState[]

  constructor(limits: readonly BucketLimit[], nowMs: number) {
    for (const limit of limits) {
      if (!(limit.capacity >= 1) || !(limit.refillPerSec > 0)) {
        throw new RangeError(`token bucket needs capacity ≥ 1 and refillPerSec > 0, got ${JSON.stringify(limit)}`)
      }
    }
    this.#buckets = limits.map((limit) => ({ limit, tokens: limit.capacity, updatedAtMs: nowMs }))
  }

  /**
   * Takes one token from every bucket and returns 0, or takes nothing and
   * returns how many ms until every bucket will hold a token.
   */
  tryTake(nowMs: number): number {
    const waitMs = this.waitMs(nowMs)
    if (waitMs > 0) return waitMs
    for (const bucket of this.#buckets) bucket.tokens -= 1
    return 0
  }

  /** Ms until a message could go, without taking anything; 0 if one may go now. */
  waitMs(nowMs: number): number {
    let waitMs = 0
    for (const bucket of this.#buckets) {
      refill(bucket, nowMs)
      if (bucket.tokens >= 1 - EPSILON) continue
      const untilTokenMs = Math.ceil(((1 - bucket.tokens) * 1000) / bucket.limit.refillPerSec)
      waitMs = Math.max(waitMs, untilTokenMs)
    }
    return waitMs
  }
}

function refill(bucket: BucketState, nowMs: number): void {
  // A clock stepped back (NTP) adds nothing now; the bucket's capacity bounds what it adds later.
  const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs)
  bucket.tokens = Math.min(bucket.limit.capacity, bucket.tokens + (elapsedMs * bucket.limit.refillPerSec) / 1000)
  bucket.updatedAtMs = nowMs
}
