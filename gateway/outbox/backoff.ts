/** Retry timing for the outbox. */
export interface BackoffOptions {
  /** Ceiling of the first retry's delay, ms; default 2 000. */
  readonly baseMs?: number
  /** Largest ceiling, ms; default 300 000 (5 min). */
  readonly capMs?: number
  /** Uniform in [0, 1); injected so tests are repeatable. Default `Math.random`. */
  readonly random?: () => number
}

export const DEFAULT_BACKOFF_BASE_MS = 2_000
export const DEFAULT_BACKOFF_CAP_MS = 300_000

/**
 * Delay before retry number `attempt` (1 = after the first failure): "full
 * jitter", uniform in [0, min(cap, base · 2^(attempt−1))), so many gateways
 * that lost the same robot API at once do not come back in lock-step. A far
 * end's `retryAfterMs` (HTTP 429 `Retry-After`) wins when it is longer.
 */
export function backoffDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions = {},
): number {
  const baseMs = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS
  const capMs = options.capMs ?? DEFAULT_BACKOFF_CAP_MS
  const random = options.random ?? Math.random
  const exponent = Math.min(Math.max(attempt, 1) - 1, 52) // 2^52 ms is already past any cap
  const ceilingMs = Math.min(capMs, baseMs * 2 ** exponent)
  const jitteredMs = Math.floor(random() * ceilingMs)
  return retryAfterMs !== undefined && retryAfterMs > jitteredMs ? Math.ceil(retryAfterMs) : jitteredMs
}
