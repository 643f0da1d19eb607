/**
 * Per-address back-off for failed sign-ins (API tokens, MQTT passwords).
 * After `freeFailures` failures in a row from one address, that address
 * waits `baseMs` before its next check, doubling with every further failure
 * up to `maxMs`. Attempts inside the window are answered at once without
 * running the hash, so guessing costs the gateway nothing and the guesser
 * time. Only the failing address waits: others are never locked out.
 *
 * A success resets the address. An address quiet for twice `maxMs` after
 * its last failure is forgotten (not just `maxMs`: a guesser at the longest
 * window would otherwise earn its free failures back every window). Addresses are kept in a bounded LRU, so a flood from
 * many addresses cannot grow memory; the one forgotten is the one that
 * failed longest ago.
 */
export interface LoginBackoffOptions {
  /** Failures from one address before back-off begins. Default 5 (typos, a rotated token). */
  readonly freeFailures?: number
  /** First window, ms; doubles with every further failure. Default 1 000. */
  readonly baseMs?: number
  /** Longest window, ms. Default 300 000. */
  readonly maxMs?: number
  /** Addresses remembered. Default 4 096. */
  readonly maxSources?: number
  /** Epoch ms. */
  readonly now: () => number
}

export interface LoginBackoff {
  /** ms `source` must still wait before its next check; 0 when it may try now. */
  waitMs(source: string): number
  /** A checked secret from `source` was wrong. */
  failed(source: string): void
  /** A checked secret from `source` was right: it starts afresh. */
  succeeded(source: string): void
  /** Addresses remembered; for tests. */
  readonly size: number
}

interface Entry {
  failures: number
  lastFailureAt: number
  /** Epoch ms the window ends; 0 while under `freeFailures`. */
  until: number
}

export function createLoginBackoff(options: LoginBackoffOptions): LoginBackoff {
  const freeFailures = Math.max(0, options.freeFailures ?? 5)
  const baseMs = Math.max(1, options.baseMs ?? 1_000)
  const maxMs = Math.max(baseMs, options.maxMs ?? 300_000)
  const maxSources = Math.max(1, options.maxSources ?? 4_096)
  const { now } = options
  // Map order is LRU order: a failure re-inserts its address at the back
  const entries = new Map<string, Entry>()

  function current(source: string, t: number): Entry | undefined {
    const entry = entries.get(source)
    if (entry !== undefined && t - entry.lastFailureAt >= 2 * maxMs) {
      entries.delete(source)
      return undefined
    }
    return entry
  }

  return {
    waitMs(source) {
      const t = now()
      const entry = current(source, t)
      return entry === undefined ? 0 : Math.max(0, entry.until - t)
    },
    failed(source) {
      const t = now()
      const entry = current(source, t) ?? { failures: 0, lastFailureAt: t, until: 0 }
      entry.failures++
      entry.lastFailureAt = t
      const over = entry.failures - freeFailures
      // 2 ** 30 already exceeds any sane maxMs; clamp the exponent so it stays finite
      if (over > 0) entry.until = t + Math.min(maxMs, baseMs * 2 ** Math.min(over - 1, 30))
      entries.delete(source)
      entries.set(source, entry)
      for (const oldest of entries.keys()) {
        if (entries.size <= maxSources) break
        entries.delete(oldest)
      }
    },
    succeeded(source) {
      entries.delete(source)
    },
    get size() {
      return entries.size
    },
  }
}
