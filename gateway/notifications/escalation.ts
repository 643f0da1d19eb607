import type { NotificationRoute } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { AlarmEvent } from '../core/events.js'
import type { EscalationStore } from './escalationStore.js'

/** One escalation step that has come due: tell `channels` that `alarm` is still unacknowledged. */
export interface DueEscalation {
  readonly alarm: Alarm
  /** 1 for the first step (shortest `escalateAfterSec`), 2 for the next, … */
  readonly level: number
  readonly channels: readonly string[]
}

interface Step {
  readonly afterMs: number
  readonly channels: readonly string[]
}

interface Watched {
  alarm: Alarm
  readonly raisedAtMs: number
  readonly steps: readonly Step[]
  /** Steps already notified. */
  done: number
}

/**
 * Escalation to the next contact while an alarm stays unacknowledged (SPEC §5,
 * issue 7 §3). Each route that took the alarm when it was raised and has
 * `escalateAfterSec` + `escalateTo` is one step; steps are ordered by delay
 * and each fires once, `escalateAfterSec` after the alarm was raised, while
 * the alarm is still active_unacked. Ack, clear, reset or close stop it.
 * Holds no timer and reads no clock: `tick(now)` does the time work.
 * With a `store`, the levels sent are persisted as they come due, and `watch`
 * after a restart resumes after the last level sent: each level once, ever.
 */
export function createEscalation(store?: EscalationStore) {
  const watched = new Map<string, Watched>()

  return {
    /** An alarm was raised and taken by `routes` (see `matchingRoutes`). */
    watch(alarm: Alarm, routes: readonly NotificationRoute[]): void {
      if (alarm.state !== 'active_unacked') return
      const steps = routes
        .filter((r) => r.escalateAfterSec !== undefined && (r.escalateTo?.length ?? 0) > 0)
        .map((r) => ({ afterMs: (r.escalateAfterSec ?? 0) * 1000, channels: r.escalateTo ?? [] }))
        .sort((a, b) => a.afterMs - b.afterMs)
      if (steps.length === 0) return
      const raisedAtMs = Date.parse(alarm.raisedAt)
      if (Number.isNaN(raisedAtMs)) return
      const done = Math.min(store?.levelsSent(alarm.id) ?? 0, steps.length)
      if (done >= steps.length) return
      watched.set(alarm.id, { alarm, raisedAtMs, steps, done })
    },

    /** Any later alarm event: keeps the latest alarm, and stops once it is no longer active_unacked. */
    onAlarmEvent(event: AlarmEvent): void {
      const stopped = event.alarm.state !== 'active_unacked' || event.action === 'acked' || event.action === 'reset'
      // Rows outlive the in-memory entry (all levels sent), so a restart does not start the alarm over.
      if (stopped) store?.forget(event.alarm.id)
      const entry = watched.get(event.alarm.id)
      if (entry === undefined) return
      if (stopped) {
        watched.delete(event.alarm.id)
        return
      }
      entry.alarm = event.alarm
    },

    /** The steps due at `now`, each returned once; an alarm with no steps left is forgotten. */
    tick(now: number): DueEscalation[] {
      const due: DueEscalation[] = []
      for (const [id, entry] of watched) {
        while (entry.done < entry.steps.length) {
          const step = entry.steps[entry.done] as Step
          if (now - entry.raisedAtMs < step.afterMs) break
          entry.done += 1
          store?.markSent(id, entry.done, now)
          due.push({ alarm: entry.alarm, level: entry.done, channels: step.channels })
        }
        if (entry.done >= entry.steps.length) watched.delete(id)
      }
      return due
    },

    /** Alarm ids watched right now. */
    ids: () => [...watched.keys()],

    /** Alarms still being watched. */
    size: () => watched.size,
  }
}

export type Escalation = ReturnType<typeof createEscalation>
