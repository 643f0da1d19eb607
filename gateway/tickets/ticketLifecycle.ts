import type { TicketCommand, TicketStatus } from '../core/ticket.js'

export type TicketTransition = { readonly ok: true; readonly to: TicketStatus } | { readonly ok: false }

const INVALID: TicketTransition = { ok: false }

/**
 * The ticket lifecycle as a table (docs/design.md#state-machines-as-tables: state machines as small tables,
 * a test for every pair). A missing entry is a refusal.
 *
 * - ack: maintenance has seen it (open only).
 * - start: someone is on it; again while in progress hands it to another assignee.
 * - resolve: repaired (by a person, or the gateway when auto-resolve is on).
 * - cancel: a manager closes it without a repair (e.g. opened by mistake).
 * Resolved and cancelled are final.
 */
const TABLE: Readonly<Record<TicketStatus, Partial<Record<TicketCommand, TicketStatus>>>> = {
  open: { ack: 'acknowledged', start: 'in_progress', resolve: 'resolved', cancel: 'cancelled' },
  acknowledged: { start: 'in_progress', resolve: 'resolved', cancel: 'cancelled' },
  in_progress: { start: 'in_progress', resolve: 'resolved', cancel: 'cancelled' },
  resolved: {},
  cancelled: {},
}

export function nextTicketStatus(status: TicketStatus, command: TicketCommand): TicketTransition {
  const to = TABLE[status][command]
  return to === undefined ? INVALID : { ok: true, to }
}
