import type { Alarm } from '../core/alarm.js'
import type { Logger } from '../log.js'
import type { GroupingStore, WindowKey } from './groupingStore.js'

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

interface Window extends WindowKey {
  readonly endMs: number
  /** Undefined only when its journal row could not be read back after a restart. */
  readonly first: Alarm | undefined
  readonly held: Alarm[]
  /** Ids of `first` and `held`: an alarm offered twice is held once. */
  readonly ids: Set<string>
  /** Highest store `seq` taken (0: the first alarm). */
  lastSeq: number
}

/**
 * Grouping (notification hygiene, docs/requirements.md#rate-limits-and-grouping): alarms of one kind raised to one channel
 * within `windowMs` share one message. The first alarm of a window is sent at
 * once; later ones within the window are held and come back from `tick` as
 * one digest when the window ends — never dropped, even when the next alarm
 * opens a new window before `tick` ran. The gateway is one store, so the key
 * is channel + kind. Pure: no timer, no clock; `windowMs` 0 turns grouping off.
 *
 * With a `store`, windows are journaled as they open, hold and end (docs/requirements.md#no-data-loss:
 * `kill -9` loses nothing), and those found at creation resume: after a
 * restart, `tick` returns the digests of windows that ended while the gateway
 * was down, once. A window that holds nothing costs one insert and one delete.
 * Once `tick` returned a digest its rows are gone; call it inside the
 * transaction that queues the digests, so both commit or neither does.
 */
export function createGrouping(windowMs: number, store?: GroupingStore) {
  const keyOf = (channel: string, kind: string) => `${channel}\u0000${kind}`
  /** The latest window per channel + kind, open or ended. */
  const windows = new Map<string, Window>()
  /** Ended windows with held alarms that a newer window of their key replaced before `tick` ran. */
  const superseded: Window[] = []

  for (const w of store?.loadWindows() ?? []) {
    // oldest first, so a newer window of the same key supersedes an older one
    const key = keyOf(w.channel, w.kind)
    const older = windows.get(key)
    if (older !== undefined) superseded.push(older)
    const ids = new Set(w.held.map((a) => a.id))
    if (w.first !== undefined) ids.add(w.first.id)
    windows.set(key, { ...w, held: [...w.held], ids })
  }

  function open(key: string, channel: string, alarm: Alarm, now: number): void {
    const endMs = now + windowMs
    const ended = windows.get(key)
    if (ended !== undefined && ended.held.length === 0) store?.deleteWindows([ended])
    store?.saveOpened(channel, now, endMs, alarm)
    if (ended !== undefined && ended.held.length > 0) superseded.push(ended)
    windows.set(key, {
      channel,
      kind: alarm.kind,
      startMs: now,
      endMs,
      first: alarm,
      held: [],
      ids: new Set([alarm.id]),
      lastSeq: 0,
    })
  }

  function digestOf(w: Window, first: Alarm): GroupDigest {
    return {
      channel: w.channel,
      kind: w.kind,
      windowStartMs: w.startMs,
      windowEndMs: w.endMs,
      first,
      alarms: [...w.held],
    }
  }

  return {
    /** An alarm was raised for `channel` at `now`: true → send it now; false → it is held for the digest. */
    offer(channel: string, alarm: Alarm, now: number): boolean {
      if (windowMs <= 0) return true
      const key = keyOf(channel, alarm.kind)
      const w = windows.get(key)
      if (w === undefined || now >= w.endMs) {
        open(key, channel, alarm, now)
        return true
      }
      if (w.ids.has(alarm.id)) return false
      // journal first: if the write throws, memory still matches the journal
      store?.saveHeld(channel, w.startMs, w.endMs, w.lastSeq + 1, alarm)
      w.lastSeq += 1
      w.held.push(alarm)
      w.ids.add(alarm.id)
      return false
    },

    /** Digests of the windows ended by `now`, each once; a window that held nothing ends quietly. */
    tick(now: number): GroupDigest[] {
      const ended = [...superseded]
      for (const w of windows.values()) if (now >= w.endMs) ended.push(w)
      if (ended.length === 0) return []
      // all rows go before memory forgets: a throw here leaves every window for the next tick
      store?.deleteWindows(ended)
      superseded.length = 0
      const due: GroupDigest[] = []
      for (const w of ended) {
        if (windows.get(keyOf(w.channel, w.kind)) === w) windows.delete(keyOf(w.channel, w.kind))
        // a first alarm unreadable after a restart: the earliest held one stands in, so the rest still go out
        const first = w.first ?? w.held[0]
        if (w.held.length > 0 && first !== undefined) due.push(digestOf(w, first))
      }
      return due
    },

    /** Alarms held right now, over every window. */
    held: () => [...superseded, ...windows.values()].reduce((n, w) => n + w.held.length, 0),
  }
}

export type Grouping = ReturnType<typeof createGrouping>

/** Held for a digest (false), or send now (true) — also when the journal cannot hold it: never lost. */
export function offerToGroup(grouping: Grouping, log: Logger, channel: string, alarm: Alarm, now: number): boolean {
  try {
    return grouping.offer(channel, alarm, now)
  } catch (err) {
    log.error({ err, channel, alarm: alarm.id }, 'alarm could not be held for a digest: sent on its own')
    return true
  }
}
