/**
 * One scheduler for every slow secret check (API tokens and MQTT passwords,
 * each a hash run of tens of ms). Two things must hold under a
 * flood of wrong secrets:
 *
 * - the flood gets a bounded share: at most `maxConcurrent` checks run at
 *   once, leaving the rest of libuv's thread pool to the journal and the
 *   broker, and each source (remote address) may have only
 *   `maxQueuedPerSource` checks waiting; past that THAT source alone is told
 *   "busy", never anyone else;
 * - a correct secret is never refused because others keep the checker busy:
 *   waiting sources are served round-robin, so a newcomer is checked after
 *   at most one check of every source ahead of it.
 *
 * Sources waiting are bounded too (`maxSources`), so memory stays bounded
 * whatever the number of addresses an attacker has.
 */
export type CheckOutcome<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'busy' }

export interface FairCheckQueueOptions {
  /** Checks running at once. Default 2: libuv has 4 threads and the journal needs some. */
  readonly maxConcurrent?: number
  /**
   * Checks one source may have waiting; past that its next one is "busy". Default 64: a store's
   * devices behind one address (a NAT router, a protocol bridge) all log in at once after a
   * restart, and a device refused with CONNACK 3 may not try again (mqtt.js does not by default).
   * Round-robin keeps a flood's share to one check per turn whatever the bound.
   */
  readonly maxQueuedPerSource?: number
  /** Sources with checks waiting; a new source past that is "busy". Default 256. */
  readonly maxSources?: number
}

export interface FairCheckQueue {
  /** Runs `work` when `source`'s turn comes, or answers busy at once when `source` may queue no more. */
  run<T>(source: string, work: () => Promise<T>): Promise<CheckOutcome<T>>
  /** Checks running and waiting, and sources waiting; for tests. */
  stats(): { readonly running: number; readonly waiting: number; readonly sources: number }
}

const BUSY: CheckOutcome<never> = Object.freeze({ kind: 'busy' })

export function createFairCheckQueue(options: FairCheckQueueOptions = {}): FairCheckQueue {
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2)
  const maxQueuedPerSource = Math.max(1, options.maxQueuedPerSource ?? 64)
  const maxSources = Math.max(1, options.maxSources ?? 256)
  // source → its waiting checks, oldest first. Map order is the rotation:
  // a source that got a turn and still waits is re-inserted at the back.
  const waiting = new Map<string, Array<() => void>>()
  let running = 0
  let waitingCount = 0

  function pump(): void {
    while (running < maxConcurrent) {
      const next = waiting.entries().next()
      if (next.done === true) return
      const [source, checks] = next.value
      const start = checks.shift()
      waiting.delete(source)
      if (checks.length > 0) waiting.set(source, checks)
      if (start === undefined) continue
      waitingCount--
      running++
      start()
    }
  }

  return {
    run<T>(source: string, work: () => Promise<T>): Promise<CheckOutcome<T>> {
      const checks = waiting.get(source)
      if (checks === undefined ? waiting.size >= maxSources : checks.length >= maxQueuedPerSource) {
        return Promise.resolve(BUSY)
      }
      return new Promise<CheckOutcome<T>>((resolve, reject) => {
        const finish = (): void => {
          running--
          pump()
        }
        const start = (): void => {
          // a work that throws at once still frees its slot
          Promise.resolve()
            .then(work)
            .then(
              (value) => {
                finish()
                resolve({ kind: 'done', value })
              },
              (err: unknown) => {
                finish()
                reject(err)
              },
            )
        }
        if (checks === undefined) waiting.set(source, [start])
        else checks.push(start)
        waitingCount++
        pump()
      })
    },
    stats: () => ({ running, waiting: waitingCount, sources: waiting.size }),
  }
}

let shared: FairCheckQueue | undefined

/**
 * The process's scheduler. libuv's thread pool, which the hash runs on, is one
 * per process, so the API and the broker share one queue rather than each
 * taking `maxConcurrent` threads.
 */
export function sharedCheckQueue(): FairCheckQueue {
  shared ??= createFairCheckQueue()
  return shared
}
