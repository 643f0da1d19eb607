/**
 * A counting semaphore with a bounded queue. Token checks use it so that a
 * flood of distinct wrong tokens (which no cache can absorb) occupies at most
 * `maxActive` libuv threads with scrypt, leaving the rest of the pool to the
 * journal and the broker (SPEC §9 latency), and is refused once the queue is full.
 */
export interface ConcurrencyLimit {
  /** Resolves true with a slot held, or false at once when the queue is full. */
  acquire(): Promise<boolean>
  /** Hands the slot to the next waiter, or frees it. Call once per `true` from `acquire`. */
  release(): void
}

export function createConcurrencyLimit(maxActive: number, maxQueued: number): ConcurrencyLimit {
  let active = 0
  const waiting: Array<() => void> = []
  return {
    acquire(): Promise<boolean> {
      if (active < maxActive) {
        active++
        return Promise.resolve(true)
      }
      if (waiting.length >= maxQueued) return Promise.resolve(false)
      // the slot is handed over by release(), so `active` stays as it is
      return new Promise<boolean>((resolve) => waiting.push(() => resolve(true)))
    },
    release(): void {
      const next = waiting.shift()
      if (next) next()
      else active--
    },
  }
}
