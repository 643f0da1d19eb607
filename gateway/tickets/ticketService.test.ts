import { afterEach, describe, expect, it } from 'vitest'
import { dailyCalendar } from '../../test/support/dailyCalendar.js'
import { PREFIX, terminalAlarmEvent, ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import { isStoreGuardError } from '../core/errors.js'
import type { TicketEvent } from '../core/events.js'
import type { Ticket } from '../core/ticket.js'

const HOUR_MS = 3_600_000
/** Worked example 3 (docs/requirements.md#worked-examples): store open every day 09:00–21:00 (Asia/Shanghai). */
const OPENED = '2026-09-30T15:00:00+08:00'

describe('ticket service', () => {
  let h: ReturnType<typeof ticketHarness>
  afterEach(() => h.close())

  function open(config: Parameters<typeof ticketHarness>[0]['config'] = {}) {
    h = ticketHarness({ start: OPENED, config })
    const s = h.start()
    const ticket = s.tickets.request(ticketRequest('terminal-1', ['printer'], h.now()))
    return { ...s, ticket }
  }

  const retainedFor = (id: string) => h.messages.filter((m) => m.topic === `${PREFIX}/tickets/${id}`)
  const actions = () => h.ticketEvents().map((e) => (e as TicketEvent).action)

  it('a terminal fault opens a ticket due two business days later on the store calendar (worked example 3)', () => {
    const { ticket } = open()
    expect(ticket).toMatchObject({
      deviceId: 'terminal-1',
      zone: 'hall',
      faultCodes: ['printer'],
      alarmKey: 'terminal_fault:terminal-1',
      status: 'open',
      openedAt: new Date(OPENED).toISOString(),
      dueAt: new Date('2026-10-02T15:00:00+08:00').toISOString(),
      slaBusinessMs: 24 * HOUR_MS,
      removalDueAt: new Date('2026-10-07T15:00:00+08:00').toISOString(),
      sla: null,
    })
    expect(retainedFor(ticket.id)).toEqual([
      { topic: `${PREFIX}/tickets/${ticket.id}`, payload: JSON.stringify(ticket), retain: true },
    ])
    const event = JSON.parse(h.messages.find((m) => m.topic === `${PREFIX}/events`)?.payload ?? '{}')
    expect(event).toMatchObject({ type: 'ticket', action: 'opened', ticket: { id: ticket.id } })
  })

  it('a fault reported after hours starts its clock at the next opening', () => {
    h = ticketHarness({ start: '2026-09-30T22:00:00+08:00' })
    const ticket = h.start().tickets.request(ticketRequest('terminal-1', [], h.now()))
    expect(ticket.dueAt).toBe(new Date('2026-10-02T21:00:00+08:00').toISOString())
  })

  it('takes dueAt from whatever calendar it is given: a lunch break lengthens the wall-clock time', () => {
    h = ticketHarness({
      start: '2026-09-30T10:00:00+08:00',
      calendar: dailyCalendar([
        [9, 12],
        [14, 18],
      ]),
    })
    const ticket = h.start().tickets.request(ticketRequest('terminal-1', [], h.now()))
    // 7 h a day: 2 business days = 14 h → Wed 10–12, 14–18 (6 h); Thu 9–12, 14–18 (7 h); Fri 9–10 (1 h)
    expect(ticket.dueAt).toBe(new Date('2026-10-02T10:00:00+08:00').toISOString())
  })

  it('opens one ticket per terminal and fault episode: a second request adds its fault codes to the open one', () => {
    const { tickets, ticket } = open()
    h.advance(HOUR_MS)
    const again = tickets.request(ticketRequest('terminal-1', ['printer', 'card_reader'], h.now()))
    expect(again.id).toBe(ticket.id)
    expect(again.faultCodes).toEqual(['printer', 'card_reader'])
    expect(again.history.map((e) => e.action)).toEqual(['opened', 'fault_reported'])
    expect(tickets.list()).toHaveLength(1)
    tickets.request(ticketRequest('terminal-2', [], h.now()))
    expect(tickets.list().map((t) => t.deviceId)).toEqual(['terminal-2', 'terminal-1'])
  })

  it('a new fault after the ticket was resolved opens a new ticket', () => {
    const { tickets, ticket } = open()
    tickets.resolve(ticket.id, 'dave', 'replaced the printer')
    const next = tickets.request(ticketRequest('terminal-1', ['screen'], h.now()))
    expect(next.id).not.toBe(ticket.id)
    expect(tickets.list().map((t) => t.id)).toEqual([next.id])
  })

  it('keeps its tickets across a restart over the same database, and republishes the open ones', () => {
    const { ticket } = open()
    const after = h.restart()
    expect(after.tickets.list()).toEqual([ticket])
    expect(after.tickets.request(ticketRequest('terminal-1', [], h.now())).id).toBe(ticket.id)
    h.messages.length = 0
    after.tickets.republishOpen()
    expect(h.messages.map((m) => m.topic)).toEqual([`${PREFIX}/tickets/${ticket.id}`])
  })

  it('records who acknowledged, started and resolved it, journaled and published at each step', () => {
    const { tickets, ticket } = open()
    h.advance(HOUR_MS)
    tickets.ack(ticket.id, 'dave', null)
    tickets.start(ticket.id, 'dave', 'erin', 'parts ordered')
    const resolved = tickets.resolve(ticket.id, 'erin', 'printer replaced')
    expect(resolved).toMatchObject({ status: 'resolved', assignee: 'erin', resolvedBy: 'erin', resolution: 'repaired' })
    expect(resolved.history.map((e) => [e.action, e.by, e.note])).toEqual([
      ['opened', 'rule:terminalFault', 'Terminal fault: terminal-1'],
      ['acked', 'dave', null],
      ['started', 'dave', 'parts ordered'],
      ['resolved', 'erin', 'printer replaced'],
    ])
    expect(actions()).toEqual(['opened', 'acked', 'started', 'resolved'])
    expect(h.restart().tickets.get(ticket.id)).toEqual(resolved)
  })

  it('starting without an assignee assigns the person who started it', () => {
    const { tickets, ticket } = open()
    expect(tickets.start(ticket.id, 'dave', null, null).assignee).toBe('dave')
  })

  it('removes the retained ticket once it is resolved or cancelled', () => {
    const { tickets, ticket } = open()
    const other = tickets.request(ticketRequest('terminal-2', [], h.now()))
    tickets.resolve(ticket.id, 'dave', null)
    tickets.cancel(other.id, 'carol', 'opened by mistake')
    expect(retainedFor(ticket.id).at(-1)).toEqual({
      topic: `${PREFIX}/tickets/${ticket.id}`,
      payload: '',
      retain: true,
    })
    expect(retainedFor(other.id).at(-1)?.payload).toBe('')
    expect(tickets.list()).toEqual([])
    expect(tickets.list({ status: 'cancelled' }).map((t) => [t.id, t.resolution, t.sla])).toEqual([
      [other.id, 'cancelled', null],
    ])
  })

  it('answers ticket_not_found for an unknown id and ticket_transition_invalid for a move the table refuses', () => {
    const { tickets, ticket } = open()
    expect(() => tickets.ack('nope', 'dave', null)).toThrow(expect.objectContaining({ code: 'ticket_not_found' }))
    tickets.resolve(ticket.id, 'dave', null)
    try {
      tickets.resolve(ticket.id, 'dave', null)
      expect.unreachable()
    } catch (err) {
      expect(isStoreGuardError(err, 'ticket_transition_invalid')).toBe(true)
    }
    expect(actions()).toEqual(['opened', 'resolved'])
  })

  describe('SLA records', () => {
    it('a repair within the target is met, with business and wall-clock repair times', () => {
      const { tickets, ticket } = open()
      h.set('2026-10-01T10:00:00+08:00') // business: Wed 15–21 (6 h) + Thu 9–10 (1 h)
      const resolved = tickets.resolve(ticket.id, 'dave', null)
      expect(resolved.sla).toEqual({ businessRepairMs: 7 * HOUR_MS, wallRepairMs: 19 * HOUR_MS, met: true })
      const event = h.ticketEvents().at(-1) as TicketEvent
      expect(event.slaRecord).toEqual({
        ticketId: ticket.id,
        deviceId: 'terminal-1',
        zone: 'hall',
        resolution: 'repaired',
        openedAt: ticket.openedAt,
        dueAt: ticket.dueAt,
        resolvedAt: new Date('2026-10-01T10:00:00+08:00').toISOString(),
        businessRepairMs: 7 * HOUR_MS,
        wallRepairMs: 19 * HOUR_MS,
        met: true,
      })
    })

    it('a repair exactly at dueAt is met; a minute later it is breached', () => {
      const { tickets, ticket } = open()
      const second = tickets.request(ticketRequest('terminal-2', [], h.now()))
      h.set('2026-10-02T15:00:00+08:00')
      expect(tickets.resolve(ticket.id, 'dave', null).sla).toMatchObject({ met: true, businessRepairMs: 24 * HOUR_MS })
      h.advance(60_000)
      expect(tickets.resolve(second.id, 'dave', null).sla).toMatchObject({
        met: false,
        businessRepairMs: 24 * HOUR_MS + 60_000,
      })
    })

    it('a cancelled ticket has no SLA record', () => {
      const { tickets, ticket } = open()
      tickets.cancel(ticket.id, 'carol', null)
      expect((h.ticketEvents().at(-1) as TicketEvent).slaRecord).toBeUndefined()
    })
  })

  describe('auto-resolve', () => {
    const SETTLE_SEC = 600

    function healthyThenTick(autoResolve: boolean): { ticket: Ticket; tickets: ReturnType<typeof open>['tickets'] } {
      const { tickets, ticket } = open({ autoResolve, settleSec: SETTLE_SEC })
      h.advance(HOUR_MS)
      tickets.onAlarm(terminalAlarmEvent('terminal-1', false, h.now()))
      return { tickets, ticket }
    }

    it('resolves the ticket once its terminal has been healthy for the settle time, when enabled', () => {
      const { tickets, ticket } = healthyThenTick(true)
      tickets.tick(h.advance(SETTLE_SEC * 1000 - 1))
      expect(tickets.get(ticket.id)?.status).toBe('open')
      tickets.tick(h.advance(1))
      expect(tickets.get(ticket.id)).toMatchObject({
        status: 'resolved',
        resolution: 'auto',
        resolvedBy: 'gateway:auto-resolve',
        sla: { met: true, wallRepairMs: HOUR_MS + SETTLE_SEC * 1000 },
      })
      expect(actions()).toEqual(['opened', 'terminal_healthy', 'resolved'])
    })

    it('a fault coming back before the settle time keeps the ticket open', () => {
      const { tickets, ticket } = healthyThenTick(true)
      tickets.onAlarm(terminalAlarmEvent('terminal-1', true, h.advance(60_000)))
      tickets.tick(h.advance(SETTLE_SEC * 1000))
      expect(tickets.get(ticket.id)).toMatchObject({ status: 'open', healthySince: null })
      expect(actions()).toEqual(['opened', 'terminal_healthy', 'terminal_faulty'])
    })

    it('never resolves by itself when auto-resolve is off (the default): a person confirms', () => {
      const { tickets, ticket } = healthyThenTick(false)
      tickets.tick(h.advance(7 * 24 * HOUR_MS))
      expect(tickets.get(ticket.id)?.status).toBe('open')
      expect(tickets.get(ticket.id)?.healthySince).not.toBeNull()
    })

    it('remembers since when the terminal is healthy across a restart', () => {
      healthyThenTick(true)
      const after = h.restart()
      after.tickets.tick(h.advance(SETTLE_SEC * 1000))
      expect(after.tickets.list()).toEqual([])
    })

    it('ignores alarms of other terminals', () => {
      const { tickets, ticket } = open({ autoResolve: true })
      tickets.onAlarm(terminalAlarmEvent('terminal-9', false, h.now()))
      tickets.tick(h.advance(24 * HOUR_MS))
      expect(tickets.get(ticket.id)?.status).toBe('open')
    })
  })
})
