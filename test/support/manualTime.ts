import type { TimerHandle, Timers } from '../../devices/gpio/timers.js'
import type { Clock } from '../../gateway/core/clock.js'

interface Pending {
  readonly id: number
  readonly at: number
  readonly callback: () => void
}

/**
 * A clock and timers that move only when told (docs/design.md#real-tests: fake the clock).
 * `advance` runs due callbacks in time order, including ones they schedule.
 */
export function manualTime(startMs = 1_700_000_000_000) {
  let now = startMs
  let nextId = 1
  const pending = new Map<number, Pending>()
  /** After `release()`: the real timers standing in for the pending ones, by id. */
  let released: Map<number, ReturnType<typeof setTimeout>> | undefined

  const clock: Clock = { now: () => now }
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = nextId++
      if (released) released.set(id, setTimeout(callback, Math.max(0, ms)))
      else pending.set(id, { id, at: now + Math.max(0, ms), callback })
      return id
    },
    clearTimeout(handle: TimerHandle) {
      pending.delete(handle as number)
      const real = released?.get(handle as number)
      if (real !== undefined) clearTimeout(real)
    },
    now: () => now,
  }

  function due(until: number): Pending | undefined {
    let first: Pending | undefined
    for (const p of pending.values()) {
      if (p.at <= until && (!first || p.at < first.at || (p.at === first.at && p.id < first.id))) first = p
    }
    return first
  }

  return {
    clock,
    timers,
    now: () => now,
    /** Moves time forward by `ms`, firing every timer that falls due on the way. */
    advance(ms: number): void {
      const until = now + ms
      for (let p = due(until); p; p = due(until)) {
        pending.delete(p.id)
        now = p.at
        p.callback()
      }
      now = until
    },
    /** How many timers are waiting. */
    pendingCount: () => pending.size,
    /** How far off each waiting timer is, soonest first: what a test checks before it advances. */
    pendingIn: (): number[] => [...pending.values()].sort((a, b) => a.at - b.at || a.id - b.id).map((p) => p.at - now),
    /**
     * Hands the timers to the real clock, for a teardown that must not hang
     * on a delay nobody will step: waiting timers and new ones then run in real time.
     */
    release(): void {
      if (released) return
      released = new Map()
      for (const p of pending.values()) released.set(p.id, setTimeout(p.callback, Math.max(0, p.at - now)))
      pending.clear()
    },
  }
}

export type ManualTime = ReturnType<typeof manualTime>
