import { describe, expect, it } from 'vitest'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { ticketEvent } from '../channels/testing/sampleEvents.js'
import type { Ticket } from '../core/ticket.js'
import { createTicketStore } from './ticketStore.js'

describe('the ticket store across the facility-ticket upgrade (docs/requirements.md#ticketable-facilities)', () => {
  const journal = useTempJournal()

  it('reads a ticket journaled before every facility could have one as a terminal ticket opened by its rule', () => {
    const { deviceType: _t, source: _s, facility: _f, ...old } = ticketEvent().ticket
    journal.db
      .prepare('INSERT INTO tickets (id, device_id, status, opened_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?)')
      .run(old.id, old.deviceId, old.status, old.openedAt, old.updatedAt, JSON.stringify(old))
    const store = createTicketStore(journal.reopen())
    expect(store.get(old.id)).toMatchObject({ deviceType: 'terminal', source: 'rule', facility: null })
    expect(store.open().map((t) => t.deviceType)).toEqual(['terminal'])
  })

  it('keeps a hand-opened ticket without a device as it was, across a restart', () => {
    const hand: Ticket = {
      ...ticketEvent().ticket,
      id: 'tk-hand',
      deviceId: null,
      deviceType: null,
      source: 'staff',
      facility: 'Chair at counter 3',
      alarmKey: null,
      alarmId: null,
    }
    createTicketStore(journal.db).save(hand, 'opened', 'bob')
    expect(createTicketStore(journal.reopen()).get('tk-hand')).toEqual(hand)
  })
})
