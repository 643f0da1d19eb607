import type { NotificationRoute } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { AlarmEvent } from '../core/events.js'

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
 * Kept in memory: alarms open across a gateway restart are not escalated again.
 */
export function createEscalation() {
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
      watched.set(alarm.id, { alarm, raisedAtMs, steps, done: 0 })
    },

    /** Any later alarm event: keeps the latest alarm, and stops once it is no longer active_unacked. */
    onAlarmEvent(event: AlarmEvent): void {
      const entry = watched.get(event.alarm.id)
      if (entry === undefined) return
      if (event.alarm.state !== 'active_unacked' || event.action === 'acked' || event.action === 'reset') {
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
          due.push({ alarm: entry.alarm, level: entry.done, channels: step.channels })
        }
        if (entry.done >= entry.steps.length) watched.delete(id)
      }
      return due
    },

    /** Alarms still being watched. */
    size: () => watched.size,
  }
}

export type Escalation = ReturnType<typeof createEscalation>
