import type { RaiseIntent } from '../core/intent.js'

export interface ChatterSettings {
  readonly chatterCycles: number
  readonly chatterWindowSec: number
  readonly chatterSettleSec: number
}

interface KeyState {
  condition: boolean
  activations: number[]
  suppressed: boolean
  lastChangeAt: number
  lastRaise: RaiseIntent | null
}

/** What the engine should do with one raise or clear. */
export type ChatterVerdict = 'pass' | 'pass_and_mark' | 'suppress'

/** A chattering input that has been quiet long enough: its latest condition, to apply now. */
export interface Settled {
  readonly key: string
  readonly raise: RaiseIntent | null
}

/**
 * ISA-18.2 chattering alarms: an input that raises and clears
 * `chatterCycles` times within `chatterWindowSec` becomes one chattering
 * alarm, and its raises and clears are suppressed until it has been stable
 * for `chatterSettleSec`; then its latest condition is applied once.
 */
export function createChatterFilter(settings: ChatterSettings) {
  const keys = new Map<string, KeyState>()
  const windowMs = settings.chatterWindowSec * 1000

  function stateOf(key: string, now: number): KeyState {
    let s = keys.get(key)
    if (!s) {
      s = { condition: false, activations: [], suppressed: false, lastChangeAt: now, lastRaise: null }
      keys.set(key, s)
    }
    return s
  }

  function observe(key: string, condition: boolean, raise: RaiseIntent | null, now: number): ChatterVerdict {
    const s = stateOf(key, now)
    if (raise) s.lastRaise = raise
    if (s.condition !== condition) {
      s.condition = condition
      s.lastChangeAt = now
      if (condition) s.activations.push(now)
    }
    if (s.suppressed) return 'suppress'
    s.activations = s.activations.filter((t) => now - t <= windowMs)
    if (condition && s.activations.length >= settings.chatterCycles) {
      s.suppressed = true
      return 'pass_and_mark'
    }
    return 'pass'
  }

  return {
    raise: (intent: RaiseIntent, now: number) => observe(intent.key, true, intent, now),
    clear: (key: string, now: number) => observe(key, false, null, now),
    /** Inputs that have settled since the last tick; forgets quiet keys so memory stays bounded. */
    tick(now: number): Settled[] {
      const settled: Settled[] = []
      for (const [key, s] of keys) {
        if (s.suppressed && now - s.lastChangeAt >= settings.chatterSettleSec * 1000) {
          s.suppressed = false
          s.activations = []
          settled.push({ key, raise: s.condition ? s.lastRaise : null })
        } else if (!s.suppressed && now - s.lastChangeAt > windowMs) {
          keys.delete(key)
        }
      }
      return settled
    },
  }
}

export type ChatterFilter = ReturnType<typeof createChatterFilter>
