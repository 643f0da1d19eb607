import type { Alarm } from '../core/alarm.js'

/** Alarms held back during a window, now due as one message to `channel`. */
export interface GroupDigest {
  readonly channel: string
  readonly kind: Alarm['kind']
  /** When the window opened: the first alarm's message went out then, on its own. */
  readonly windowStartMs: number
  readonly windowEndMs: number
  /** The first alarm of the window (already sent). */
  readonly first: Alarm
  /** The alarms held during the window, in the order they were raised; never empty. */
  readonly alarms: readonly Alarm[]
}

interface Window {
  readonly channel: string
  readonly startMs: number
  readonly endMs: number
  readonly first: Alarm
  readonly held: Alarm[]
}

/**
 * Grouping (issue 7 §4 hygiene): alarms of one kind raised to one channel
 * within `windowMs` share one message. The first alarm of a window is sent at
 * once; later ones within the window are held and come back from `tick` as
 * one digest when the window ends — never dropped. The gateway is one store,
 * so the key is channel + kind. Pure: no timer, no clock; `windowMs` 0 turns
 * grouping off. Held alarms are kept in memory only.
 */
export function createGrouping(windowMs: number) {
  const windows = new Map<string, Window>()
  const keyOf = (channel: string, kind: string) => `${channel}\u0000${kind}`

  return {
    /** An alarm was raised for `channel` at `now`: true → send it now; false → it is held for the digest. */
    offer(channel: string, alarm: Alarm, now: number): boolean {
      if (windowMs <= 0) return true
      const key = keyOf(channel, alarm.kind)
      const open = windows.get(key)
      if (open !== undefined && now < open.endMs) {
        if (open.first.id !== alarm.id && !open.held.some((a) => a.id === alarm.id)) open.held.push(alarm)
        return false
      }
      windows.set(key, { channel, startMs: now, endMs: now + windowMs, first: alarm, held: [] })
      return true
    },

    /** Digests of the windows ended by `now`, each once; a window that held nothing ends quietly. */
    tick(now: number): GroupDigest[] {
      const due: GroupDigest[] = []
      for (const [key, w] of windows) {
        if (now < w.endMs) continue
        windows.delete(key)
        if (w.held.length === 0) continue
        due.push({
          channel: w.channel,
          kind: w.first.kind,
          windowStartMs: w.startMs,
          windowEndMs: w.endMs,
          first: w.first,
          alarms: [...w.held],
        })
      }
      return due
    },

    /** Alarms held right now, over every window. */
    held: () => [...windows.values()].reduce((n, w) => n + w.held.length, 0),
  }
}

export type Grouping = ReturnType<typeof createGrouping>
