import type { NotificationRoute } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { AlarmEvent } from '../core/events.js'
import type { EscalationStore } from './escalationStore.js'

/** One escalation step that has come due: tell `channels` that `alarm` is still unacknowledged. */
export interface DueEscalation {
  readonly alarm: Alarm
  /** 1 for the first step (shortest delay), 2 for the next, …; repeats go on counting after the last. */
  readonly level: number
  /** True for a repeat of the last level (`repeatEverySec`). */
  readonly repeat: boolean
  readonly channels: readonly string[]
}

interface Step {
  readonly afterMs: number
  readonly channels: readonly string[]
}

/** After `afterMs` (the last level), `channels` again every `everyMs`. */
interface Repeat {
  readonly afterMs: number
  readonly everyMs: number
  readonly channels: readonly string[]
}

interface Plan {
  readonly steps: readonly Step[]
  readonly repeat: Repeat | null
}

interface Watched {
  alarm: Alarm
  readonly raisedAtMs: number
  readonly plan: Plan
  /** Levels already notified (steps, then repeats). */
  done: number
}

/**
 * The levels an alarm escalates through, from the routes that took it: every
 * route's `escalateAfterSec`/`escalateTo` and `escalation` levels, ordered by
 * delay. Repeats: the shortest `repeatEverySec` of those routes, to the last
 * level of each route that asks for them (its own channels when it has no
 * levels), starting one period after the latest of those last levels.
 */
export function escalationPlan(routes: readonly NotificationRoute[]): Plan {
  const levelsOf = (r: NotificationRoute): Step[] => {
    const levels = (r.escalation ?? []).map((l) => ({ afterMs: l.afterSec * 1000, channels: l.channels }))
    if (r.escalateAfterSec !== undefined && (r.escalateTo?.length ?? 0) > 0) {
      levels.push({ afterMs: r.escalateAfterSec * 1000, channels: r.escalateTo ?? [] })
    }
    return levels.sort((a, b) => a.afterMs - b.afterMs)
  }
  const steps = routes.flatMap(levelsOf).sort((a, b) => a.afterMs - b.afterMs)
  const repeating = routes.filter((r) => r.repeatEverySec !== undefined)
  if (repeating.length === 0) return { steps, repeat: null }
  const lasts = repeating.map((r) => levelsOf(r).at(-1) ?? { afterMs: 0, channels: r.channels })
  return {
    steps,
    repeat: {
      afterMs: Math.max(...lasts.map((l) => l.afterMs)),
      everyMs: Math.min(...repeating.map((r) => (r.repeatEverySec ?? 0) * 1000)),
      channels: [...new Set(lasts.flatMap((l) => l.channels))],
    },
  }
}

/**
 * Escalation to the next contact while an alarm stays unacknowledged
 * (docs/requirements.md#escalation): each level fires once, its delay after the alarm was raised,
 * while the alarm is still active_unacked; then, if a route asks, the last
 * level again every `repeatEverySec`. Ack, clear, reset or close stop it.
 * Holds no timer and reads no clock: `tick(now)` does the time work. A tick
 * late by several repeat periods (the gateway was down) sends one repeat, not
 * a burst. With a `store`, the levels sent are persisted as they come due,
 * and `watch` after a restart resumes after the last level sent.
 */
export function createEscalation(store?: EscalationStore) {
  const watched = new Map<string, Watched>()

  /** The next level due for `entry` at `now`, or null. Repeats skip to the latest period that has come. */
  function nextDue(entry: Watched, now: number): { level: number; step: Step; repeat: boolean } | null {
    const { steps, repeat } = entry.plan
    const elapsed = now - entry.raisedAtMs
    if (entry.done < steps.length) {
      const step = steps[entry.done] as Step
      return elapsed >= step.afterMs ? { level: entry.done + 1, step, repeat: false } : null
    }
    if (repeat === null) return null
    const periods = Math.floor((elapsed - repeat.afterMs) / repeat.everyMs)
    const level = steps.length + periods
    if (periods < 1 || level <= entry.done) return null
    return { level, step: repeat, repeat: true }
  }

  return {
    /** An alarm was raised and taken by `routes` (see `matchingRoutes`). */
    watch(alarm: Alarm, routes: readonly NotificationRoute[]): void {
      if (alarm.state !== 'active_unacked') return
      const plan = escalationPlan(routes)
      if (plan.steps.length === 0 && plan.repeat === null) return
      const raisedAtMs = Date.parse(alarm.raisedAt)
      if (Number.isNaN(raisedAtMs)) return
      const done = store?.levelsSent(alarm.id) ?? 0
      if (plan.repeat === null && done >= plan.steps.length) return
      watched.set(alarm.id, { alarm, raisedAtMs, plan, done })
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

    /** The levels due at `now`, each returned once; an alarm with nothing left to send is forgotten. */
    tick(now: number): DueEscalation[] {
      const due: DueEscalation[] = []
      for (const [id, entry] of watched) {
        for (let next = nextDue(entry, now); next !== null; next = nextDue(entry, now)) {
          entry.done = next.level
          store?.markSent(id, next.level, now)
          due.push({ alarm: entry.alarm, level: next.level, repeat: next.repeat, channels: next.step.channels })
        }
        if (entry.plan.repeat === null && entry.done >= entry.plan.steps.length) watched.delete(id)
      }
      return due
    },

    /** Alarms still being watched. */
    size: () => watched.size,
  }
}

export type Escalation = ReturnType<typeof createEscalation>
