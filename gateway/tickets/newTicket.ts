import { randomBytes } from 'node:crypto'
import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import type { LocalizedText } from '../core/alarm.js'
import { isoAt } from '../core/clock.js'
import type { DeviceType } from '../core/reading.js'
import type { Ticket, TicketSource } from '../core/ticket.js'

const DAY_MS = 86_400_000

export interface NewTicketContext {
  readonly calendar: Pick<BusinessCalendar, 'businessDayMs' | 'addBusinessTime' | 'yearsWithoutData'>
  readonly config: Pick<TicketsConfig, 'removeAfterDays'>
  /** The target of this ticket's device type, or of a hand-opened ticket (ticketTargets.ts). */
  readonly targetBusinessDays: number
  readonly locale: 'zh-CN' | 'en'
  readonly by: string
}

/** What a ticket is opened for: a device's fault episode, or a facility staff report by hand. */
export interface TicketSubject {
  readonly deviceId: string | null
  readonly deviceType: DeviceType | null
  readonly source: TicketSource
  readonly facility: string | null
  readonly zone: string
  readonly alarmKey: string | null
  readonly alarmId: string | null
  readonly faultCodes: readonly string[]
  readonly reason: LocalizedText
}

/**
 * A new ticket for a fault episode or a facility reported by hand (docs/requirements.md#ticketable-facilities), opened at `nowMs`. docs/requirements.md#business-hours-clock:
 * dueAt = openedAt + the target on the business-hours clock, where "2
 * business days" = 2 × the calendar's business-day length (the service standard §4.2.1, docs/requirements.md#terminal-fault);
 * removal after `removeAfterDays` wall-clock days (the emergency plan, docs/requirements.md#terminal-fault). `fallbackYears`:
 * years the calendar had no data for, so dueAt assumed Monday–Friday.
 */
export function newTicket(
  event: TicketSubject,
  nowMs: number,
  ctx: NewTicketContext,
): { ticket: Ticket; fallbackYears: number[] } {
  const { calendar, config } = ctx
  const at = isoAt(nowMs)
  const slaBusinessMs = ctx.targetBusinessDays * calendar.businessDayMs
  const dueMs = calendar.addBusinessTime(nowMs, slaBusinessMs)
  const fallbackYears = calendar.yearsWithoutData(nowMs, dueMs)
  const fallbackNote =
    fallbackYears.length > 0 ? ` (no calendar data for ${fallbackYears.join(', ')}: Monday–Friday assumed)` : ''
  const ticket: Ticket = {
    id: `ticket-${nowMs.toString(36)}-${randomBytes(3).toString('hex')}`,
    deviceId: event.deviceId,
    deviceType: event.deviceType,
    source: event.source,
    facility: event.facility,
    zone: event.zone,
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
