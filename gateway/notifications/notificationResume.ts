import type { NotificationsConfig } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../log.js'
import { type Escalation, escalationPlan } from './escalation.js'
import type { EscalationStore } from './escalationStore.js'
import type { LocalOutputs } from './localOutputs.js'
import { type IsOpen, matchingRoutes } from './routing.js'

/**
 * Picking up alarms that were open when the gateway stopped: their escalation
 * and their local outputs carry on from what the journal says was already
 * sent, so a restart neither repeats nor skips a level.
 */
export interface ResumeDeps {
  readonly config: NotificationsConfig
  readonly clock: Clock
  readonly isOpen: IsOpen
  readonly log: Logger
  readonly openAlarms: (() => readonly Alarm[]) | undefined
  readonly escalation: Escalation
  readonly escalationStore: EscalationStore
  readonly local: LocalOutputs
}

/** Alarms open across a restart: escalation resumes after the last level sent; stale rows go. */
export function resumeEscalation(deps: ResumeDeps): void {
  const { config, clock, isOpen, escalation, escalationStore, log } = deps
  if (deps.openAlarms === undefined) return
  const unacked = deps.openAlarms().filter((a) => a.state === 'active_unacked')
  for (const alarm of unacked) {
    const raisedAtMs = Date.parse(alarm.raisedAt)
    // the routes that took it when it was raised
    escalation.watch(
      alarm,
      matchingRoutes(config.routes, alarm, Number.isNaN(raisedAtMs) ? clock.now() : raisedAtMs, isOpen),
    )
  }
  const open = new Set(unacked.map((a) => a.id))
  for (const id of escalationStore.alarmIds()) if (!open.has(id)) escalationStore.forget(id)
  if (escalation.size() > 0) log.info({ alarms: escalation.size() }, 'escalation resumed for open alarms')
}

/** Outputs of alarms open across a restart sound again: their routes' and the escalation levels already sent. */
export function resumeOutputs(deps: ResumeDeps): void {
  const { config, clock, isOpen, escalationStore, local } = deps
  if (deps.openAlarms === undefined || config.outputs.length === 0) return
  for (const alarm of deps.openAlarms()) {
    const raisedAtMs = Date.parse(alarm.raisedAt)
    const routes = matchingRoutes(config.routes, alarm, Number.isNaN(raisedAtMs) ? clock.now() : raisedAtMs, isOpen)
    const plan = escalationPlan(routes)
    const sent = escalationStore.levelsSent(alarm.id)
    const reached = [
      ...routes.flatMap((r) => r.channels),
      ...plan.steps.slice(0, sent).flatMap((step) => step.channels),
      ...(sent > plan.steps.length ? (plan.repeat?.channels ?? []) : []),
    ]
    for (const id of new Set(reached)) if (local.has(id)) local.hold(id, alarm, raisedAtMs)
  }
}
