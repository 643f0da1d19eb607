import { randomBytes } from 'node:crypto'
import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import { isoAt } from '../core/clock.js'
import type { TicketRequestEvent } from '../core/events.js'
import type { Ticket } from '../core/ticket.js'

const DAY_MS = 86_400_000

export interface NewTicketContext {
  readonly calendar: Pick<BusinessCalendar, 'businessDayMs' | 'addBusinessTime' | 'yearsWithoutData'>
  readonly config: Pick<TicketsConfig, 'targetBusinessDays' | 'removeAfterDays'>
  readonly zone: string
  readonly locale: 'zh-CN' | 'en'
  readonly by: string
}

/**
 * A new ticket for a terminal-fault episode, opened at `nowMs`. docs/requirements.md#business-hours-clock:
 * dueAt = openedAt + the target on the business-hours clock, where "2
 * business days" = 2 × the calendar's business-day length (the service standard §4.2.1, docs/requirements.md#terminal-fault);
 * removal after `removeAfterDays` wall-clock days (the emergency plan, docs/requirements.md#terminal-fault). `fallbackYears`:
 * years the calendar had no data for, so dueAt assumed Monday–Friday.
 */
export function newTicket(
  event: TicketRequestEvent,
  nowMs: number,
  ctx: NewTicketContext,
): { ticket: Ticket; fallbackYears: number[] } {
  const { calendar, config } = ctx
  const at = isoAt(nowMs)
  const slaBusinessMs = config.targetBusinessDays * calendar.businessDayMs
  const dueMs = calendar.addBusinessTime(nowMs, slaBusinessMs)
  const fallbackYears = calendar.yearsWithoutData(nowMs, dueMs)
  const fallbackNote =
    fallbackYears.length > 0 ? ` (no calendar data for ${fallbackYears.join(', ')}: Monday–Friday assumed)` : ''
  const ticket: Ticket = {
    id: `ticket-${nowMs.toString(36)}-${randomBytes(3).toString('hex')}`,
    deviceId: event.deviceId,
    zone: ctx.zone,
    faultCodes: [...event.faultCodes],
    alarmId: event.alarmId,
    alarmKey: event.alarmKey,
    reason: event.reason,
    status: 'open',
    openedAt: at,
    dueAt: isoAt(dueMs),
    slaBusinessMs,
    assignee: null,
    remindersSent: [],
    breachedAt: null,
    removalDueAt: isoAt(nowMs + config.removeAfterDays * DAY_MS),
    removalNotifiedAt: null,
    healthySince: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    sla: null,
    updatedAt: at,
    history: [{ at, by: ctx.by, action: 'opened', note: `${event.reason[ctx.locale]}${fallbackNote}` }],
  }
  return { ticket, fallbackYears }
}
