import type { NotificationRoute } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import type { Logger } from '../log.js'
import { type DueEscalation, escalationPlan } from './escalation.js'
import { type IsOpen, matchingRoutes } from './routing.js'

/** What re-resolving a step needs: the routes in force now and which channel ids still exist. */
export interface FallbackContext {
  readonly routes: readonly NotificationRoute[]
  /** A channel (or local output) of the running config. */
  readonly known: (id: string) => boolean
  readonly isOpen: IsOpen
  readonly log: Logger
}

/**
 * The channels an escalation level goes to. An escalation keeps the channel
 * ids it started with; when a reload removed or renamed one of them, that
 * part of the step goes where the alarm's routes now send that level (its
 * repeat, or else its routes' own channels) and is logged at warn: an
 * unacknowledged alarm must reach someone, never be recorded as sent to
 * nobody (docs/requirements.md#escalation, docs/reload.md).
 */
export function escalationChannels(due: DueEscalation, now: number, ctx: FallbackContext): string[] {
  const gone = due.channels.filter((id) => !ctx.known(id))
  if (gone.length === 0) return [...due.channels]
  const matched = matchingRoutes(ctx.routes, due.alarm, now, ctx.isOpen)
  const plan = escalationPlan(matched)
  const level = due.repeat ? plan.repeat?.channels : plan.steps[due.level - 1]?.channels
  const fallback = level ?? plan.repeat?.channels ?? matched.flatMap((r) => r.channels)
  return resolved(due.channels, gone, fallback, ctx, { alarm: due.alarm.id, level: due.level })
}

/**
 * The channels a digest goes to: its own, or — when a reload removed it while
 * the alarms were held — the channels the alarms' routes now name, so held
 * alarms are not lost with the channel they waited for.
 */
export function digestChannels(channel: string, alarms: readonly Alarm[], now: number, ctx: FallbackContext): string[] {
  if (ctx.known(channel)) return [channel]
  const fallback = alarms.flatMap((a) => matchingRoutes(ctx.routes, a, now, ctx.isOpen).flatMap((r) => r.channels))
  return resolved([channel], [channel], fallback, ctx, { alarms: alarms.map((a) => a.id) })
}

function resolved(
  ids: readonly string[],
  gone: readonly string[],
  fallback: readonly string[],
  ctx: FallbackContext,
  about: Record<string, unknown>,
): string[] {
  const kept = ids.filter((id) => ctx.known(id))
  const instead = fallback.filter((id) => ctx.known(id))
  const out = [...new Set([...kept, ...instead])]
  if (out.length === 0) {
    ctx.log.error({ ...about, gone }, 'notification channel removed by a reload and no route names another: not sent')
  } else {
    ctx.log.warn(
      { ...about, gone, instead: out },
      'notification channel removed by a reload: sent by the current routes',
    )
  }
  return out
}
