import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import { isoAt } from '../core/clock.js'
import { isOpenTicket, type Ticket, type TicketAction, type TicketSla, type TicketSlaRecord } from '../core/ticket.js'

/** When a ticket's time-based duties fall due (epoch ms). */
export interface TicketTimeline {
  /** docs/requirements.md#reminders-and-escalation: at each fraction f of the SLA, addBusinessTime(openedAt, f × SLA); earliest first. */
  readonly reminders: readonly { readonly fraction: number; readonly atMs: number }[]
  /** Escalation to the facilities manager. */
  readonly dueMs: number
  /** The emergency plan (docs/requirements.md#terminal-fault): the "remove this terminal from the hall" task, in wall-clock days. */
  readonly removalMs: number
}

/** A duty that has fallen due and not been done; the schedule records it on the ticket, then publishes it. */
export type ScheduledWork =
  /** `fraction`: the latest one due; `fractions`: every one due now, earlier ones superseded by it. */
  | { readonly kind: 'reminder'; readonly fraction: number; readonly fractions: readonly number[] }
  /** `supersedes`: reminders still unsent at breach, which would say less than the breach does. */
  | { readonly kind: 'breached'; readonly supersedes: readonly number[] }
  | { readonly kind: 'removal_due' }

/** The reminder instants are computed, not stored: the ticket keeps openedAt and its SLA, which is all they need. */
export function ticketTimeline(
  ticket: Ticket,
  calendar: Pick<BusinessCalendar, 'addBusinessTime'>,
  remindAt: readonly number[],
): TicketTimeline {
  const openedMs = Date.parse(ticket.openedAt)
  const reminders = [...new Set(remindAt)]
    .sort((a, b) => a - b)
    .map((fraction) => ({ fraction, atMs: calendar.addBusinessTime(openedMs, fraction * ticket.slaBusinessMs) }))
  return { reminders, dueMs: Date.parse(ticket.dueAt), removalMs: Date.parse(ticket.removalDueAt) }
}

/**
 * What is due at `nowMs` and not yet done, from the ticket's persisted state
 * alone: so after a restart, a reminder that fell due while the gateway was
 * down is found on the first tick, once. Several reminders due at once send
 * only the latest; a breach supersedes unsent reminders.
 */
export function dueWork(ticket: Ticket, timeline: TicketTimeline, nowMs: number): ScheduledWork[] {
  if (!isOpenTicket(ticket.status)) return []
  const work: ScheduledWork[] = []
  const unsent = timeline.reminders
    .filter((r) => r.atMs <= nowMs && !ticket.remindersSent.includes(r.fraction))
    .map((r) => r.fraction)
  const breachDue = ticket.breachedAt === null && nowMs >= timeline.dueMs
  if (breachDue) work.push({ kind: 'breached', supersedes: unsent })
  else if (unsent.length > 0) work.push({ kind: 'reminder', fraction: Math.max(...unsent), fractions: unsent })
  if (ticket.removalNotifiedAt === null && nowMs >= timeline.removalMs) work.push({ kind: 'removal_due' })
  return work
}

/** What recording a scheduled duty changes on the ticket, and the note its history gets. */
export function scheduledChange(
  ticket: Ticket,
  work: ScheduledWork,
  atMs: number,
): { action: TicketAction; note: string; changes: Partial<Ticket> } {
  switch (work.kind) {
    case 'reminder':
      return {
        action: 'reminder',
        note: `${Math.round(work.fraction * 100)} % of the SLA used; due ${ticket.dueAt}`,
        changes: { remindersSent: [...ticket.remindersSent, ...work.fractions] },
      }
    case 'breached':
      return {
        action: 'breached',
        note: `not repaired by ${ticket.dueAt}`,
        changes: { remindersSent: [...ticket.remindersSent, ...work.supersedes], breachedAt: isoAt(atMs) },
      }
    case 'removal_due':
      return {
        action: 'removal_due',
        note: `not repaired since ${ticket.openedAt}: remove the terminal from the hall`,
        changes: { removalNotifiedAt: isoAt(atMs) },
      }
  }
}

/** docs/requirements.md#resolution-and-sla-record: time to repair on the business clock and the wall clock; met when resolved by dueAt. */
export function slaOf(
  ticket: Ticket,
  resolvedMs: number,
  calendar: Pick<BusinessCalendar, 'businessTimeBetween'>,
): TicketSla {
  const openedMs = Date.parse(ticket.openedAt)
  return {
    businessRepairMs: calendar.businessTimeBetween(openedMs, resolvedMs),
    wallRepairMs: Math.max(0, resolvedMs - openedMs),
    met: resolvedMs <= Date.parse(ticket.dueAt),
  }
}

/** The `ticket` measurement row of a resolved ticket, or null if it has no SLA record (open, or cancelled). */
export function slaRecordOf(ticket: Ticket): TicketSlaRecord | null {
  const { sla, resolution, resolvedAt } = ticket
  if (sla === null || resolution === null || resolvedAt === null) return null
  return {
    ...sla,
    ticketId: ticket.id,
    deviceId: ticket.deviceId,
    zone: ticket.zone,
    resolution,
    openedAt: ticket.openedAt,
    dueAt: ticket.dueAt,
    resolvedAt,
  }
}
