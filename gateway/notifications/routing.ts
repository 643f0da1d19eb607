import type { NotificationRoute, StaffEventKind } from '../config/notificationsSchema.js'
import { type Alarm, SEVERITIES, type Severity } from '../core/alarm.js'
import type { AlarmFloodEvent, GatewayEvent, NoticeEvent, ReportEvent, TicketEvent } from '../core/events.js'

/** Is the store open at this instant (store calendar)? Decides `hours: business | after_hours`. */
export type IsOpen = (atMs: number) => boolean

/** The facts of an alarm a route looks at. */
export type RoutableAlarm = Pick<Alarm, 'kind' | 'severity' | 'zone' | 'silent'>

/** X.733 order: critical > major > minor > warning. */
export function atLeast(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(min)
}

/** True while `hours` allows a notification at `atMs`. */
export function inHours(hours: NotificationRoute['hours'] | undefined, atMs: number, isOpen: IsOpen): boolean {
  if (hours === undefined || hours === 'any') return true
  return hours === 'business' ? isOpen(atMs) : !isOpen(atMs)
}

/**
 * Does `route` take `alarm` at `atMs`? Every condition the route gives must
 * hold. robbery (docs/requirements.md#robbery): a silent alarm matches only a route that says
 * `silent: true`, and such a route matches only silent alarms, so a silent
 * alarm can never leak into a general (siren, customer, staff-group) channel.
 */
export function routeMatches(route: NotificationRoute, alarm: RoutableAlarm, atMs: number, isOpen: IsOpen): boolean {
  if (alarm.silent !== (route.silent === true)) return false
  if (route.kinds !== undefined && !route.kinds.includes(alarm.kind)) return false
  if (route.minSeverity !== undefined && !atLeast(alarm.severity, route.minSeverity)) return false
  if (route.zones !== undefined && !route.zones.includes(alarm.zone)) return false
  return inHours(route.hours, atMs, isOpen)
}

/** The routes that take this alarm, in config order. */
export function matchingRoutes(
  routes: readonly NotificationRoute[],
  alarm: RoutableAlarm,
  atMs: number,
  isOpen: IsOpen,
): NotificationRoute[] {
  return routes.filter((route) => routeMatches(route, alarm, atMs, isOpen))
}

/** Channel ids an alarm goes to: the union of its matching routes' channels, each once, in config order. */
export function routeAlarm(
  routes: readonly NotificationRoute[],
  alarm: RoutableAlarm,
  atMs: number,
  isOpen: IsOpen,
): string[] {
  return unique(matchingRoutes(routes, alarm, atMs, isOpen).flatMap((route) => route.channels))
}

/**
 * Which staff-event kind a ticket, notice, report or alarm-flood event is, or
 * null when nobody is notified of it: tickets only on reminder / breached /
 * removal_due, notices only when a staff notice is posted, the pre-opening
 * report, the start of an alarm flood (its end changes nothing anyone must do).
 * A customer notice is for signage, never for a notification channel.
 */
export function staffEventKind(event: GatewayEvent): StaffEventKind | null {
  if (event.type === 'ticket') {
    if (event.action === 'reminder') return 'ticket_reminder'
    if (event.action === 'breached') return 'ticket_breached'
    if (event.action === 'removal_due') return 'ticket_removal'
    return null
  }
  if (event.type === 'notice') {
    return event.notice.audience === 'staff' && event.action === 'posted' ? 'staff_notice' : null
  }
  if (event.type === 'report' && event.kind === 'pre_opening') return 'pre_opening_report'
  if (event.type === 'alarm_flood' && event.action === 'started') return 'alarm_flood'
  return null
}

/**
 * Channel ids a ticket, staff-notice, report or alarm-flood event goes to:
 * routes that list its kind in `events`, within their `hours` and, when they
 * give `zones`, for an event in one of them (the report and the alarm-flood
 * summary are store-wide: zones do not apply). Never a silent route (robbery
 * only). Each channel once.
 *
 * The alarm-flood summary (EEMUA 191 / ISA-18.2) is for managers, so it goes
 * only where a route asks for it with `events: [alarm_flood]` — the managers'
 * route — and not to every catch-all route: the staff there are the ones
 * already swamped by the alarms it sums up, each of which they got anyway.
 */
export function routeStaffEvent(
  routes: readonly NotificationRoute[],
  event: TicketEvent | NoticeEvent | ReportEvent | AlarmFloodEvent,
  atMs: number,
  isOpen: IsOpen,
): string[] {
  const kind = staffEventKind(event)
  if (kind === null) return []
  const zone = event.type === 'ticket' ? event.ticket.zone : event.type === 'notice' ? event.notice.zone : undefined
  return unique(
    routes
      .filter(
        (r) =>
          r.silent !== true &&
          r.events?.includes(kind) === true &&
          (r.zones === undefined || zone === undefined || (zone !== null && r.zones.includes(zone))) &&
          inHours(r.hours, atMs, isOpen),
      )
      .flatMap((r) => r.channels),
  )
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)]
}
