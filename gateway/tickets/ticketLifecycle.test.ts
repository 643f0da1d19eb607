import { describe, expect, it } from 'vitest'
import type { TicketCommand, TicketStatus } from '../core/ticket.js'
import { nextTicketStatus } from './ticketLifecycle.js'

/** Every (status, command) pair, and what it leads to; null: refused (409 ticket_transition_invalid). */
const EXPECTED: readonly [string, TicketStatus, TicketCommand, TicketStatus | null][] = [
  ['maintenance acknowledges a new ticket', 'open', 'ack', 'acknowledged'],
  ['maintenance may start work without acknowledging first', 'open', 'start', 'in_progress'],
  ['a ticket can be resolved straight away', 'open', 'resolve', 'resolved'],
  ['a manager can cancel a new ticket', 'open', 'cancel', 'cancelled'],
  ['an acknowledged ticket cannot be acknowledged again', 'acknowledged', 'ack', null],
  ['work starts on an acknowledged ticket', 'acknowledged', 'start', 'in_progress'],
  ['an acknowledged ticket can be resolved', 'acknowledged', 'resolve', 'resolved'],
  ['an acknowledged ticket can be cancelled', 'acknowledged', 'cancel', 'cancelled'],
  ['a ticket being worked on cannot go back to acknowledged', 'in_progress', 'ack', null],
  ['starting again hands a ticket in progress to another assignee', 'in_progress', 'start', 'in_progress'],
  ['a repair in progress is resolved', 'in_progress', 'resolve', 'resolved'],
  ['a ticket in progress can be cancelled', 'in_progress', 'cancel', 'cancelled'],
  ['a resolved ticket cannot be acknowledged', 'resolved', 'ack', null],
  ['work cannot start on a resolved ticket', 'resolved', 'start', null],
  ['a resolved ticket cannot be resolved twice', 'resolved', 'resolve', null],
  ['a resolved ticket cannot be cancelled', 'resolved', 'cancel', null],
  ['a cancelled ticket cannot be acknowledged', 'cancelled', 'ack', null],
  ['work cannot start on a cancelled ticket', 'cancelled', 'start', null],
  ['a cancelled ticket cannot be resolved', 'cancelled', 'resolve', null],
  ['a cancelled ticket cannot be cancelled twice', 'cancelled', 'cancel', null],
]

describe('ticket lifecycle', () => {
  it.each(EXPECTED)('%s (%s + %s → %s)', (_sentence, status, command, to) => {
    expect(nextTicketStatus(status, command)).toEqual(to === null ? { ok: false } : { ok: true, to })
  })
})
