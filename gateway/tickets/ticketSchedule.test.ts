import { afterEach, describe, expect, it } from 'vitest'
import { ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import type { TicketEvent } from '../core/events.js'
import { removalNoticeKey } from './ticketSchedule.js'

const MINUTE_MS = 60_000
/** Store open every day 09:00–21:00 (Asia/Shanghai): 2 business days = 24 h of open time. */
const OPENED = '2026-09-30T15:00:00+08:00'
const iso = (local: string) => new Date(local).toISOString()
/** 50 %: Wed 15–21 + Thu 09–15. 80 % (19.2 h): + Thu 15–21 + Fri 09:00–10:12. */
const HALF = '2026-10-01T15:00:00+08:00'
const EIGHTY = '2026-10-02T10:12:00+08:00'
const DUE = '2026-10-02T15:00:00+08:00'
const REMOVAL = '2026-10-07T15:00:00+08:00'

describe('ticket schedule', () => {
  let h: ReturnType<typeof ticketHarness>
  afterEach(() => h.close())

  function opened() {
    h = ticketHarness({ start: OPENED })
    const s = h.start()
    const ticket = s.tickets.request(ticketRequest('terminal-1', ['printer'], h.now()))
    return { ...s, ticket }
  }

  const scheduled = () =>
    h
      .ticketEvents()
      .map((e) => e as TicketEvent)
      .filter((e) => ['reminder', 'breached', 'removal_due'].includes(e.action))
      .map((e) => ({ action: e.action, at: e.at, ...(e.fraction !== undefined ? { fraction: e.fraction } : {}) }))

  it('reminds at 50 % and 80 % of the SLA, escalates at breach and asks for removal at 7 days, each once, on time', () => {
    const { schedule } = opened()
    // a tick every minute for eight days
    for (const end = Date.parse('2026-10-08T15:00:00+08:00'); h.now() <= end; h.advance(MINUTE_MS))
      schedule.tick(h.now())
    expect(scheduled()).toEqual([
      { action: 'reminder', at: iso(HALF), fraction: 0.5 },
      { action: 'reminder', at: iso(EIGHTY), fraction: 0.8 },
      { action: 'breached', at: iso(DUE) },
      { action: 'removal_due', at: iso(REMOVAL) },
    ])
  })

  it('sends nothing a millisecond before each instant', () => {
    const { schedule } = opened()
    for (const at of [HALF, EIGHTY, DUE, REMOVAL]) {
      h.set(at)
      schedule.tick(h.advance(-1))
      const before = scheduled().length
      schedule.tick(h.set(at))
      expect(scheduled()).toHaveLength(before + 1)
    }
  })

  it('posts the removal task as a staff notice in both languages, and withdraws it once the terminal is repaired', () => {
    const { schedule, notices, tickets, ticket } = opened()
    schedule.tick(h.set(REMOVAL))
    expect(notices.byKey(removalNoticeKey('terminal-1'))).toMatchObject({
      audience: 'staff',
      deviceId: 'terminal-1',
      zone: 'hall',
      texts: {
        'zh-CN': `请将自助终端 ATM 1（hall 区）撤出营业厅：故障已超过 7 天未修复（工单 ${ticket.id}）`,
        en: `Remove self-service terminal ATM 1 (zone hall) from the hall: not repaired for over 7 days (ticket ${ticket.id})`,
      },
      active: true,
    })
    schedule.tick(h.advance(MINUTE_MS))
    expect(notices.list('staff')).toHaveLength(1)
    tickets.resolve(ticket.id, 'dave', 'board replaced')
    schedule.tick(h.advance(MINUTE_MS))
    expect(notices.byKey(removalNoticeKey('terminal-1'))).toBeUndefined()
  })

  it('puts the removal notice up even when the gateway stopped between recording the task and posting it', () => {
    const { tickets, ticket } = opened()
    h.set(REMOVAL)
    tickets.recordScheduled(ticket.id, { kind: 'removal_due' }, h.now())
    const after = h.restart()
    after.schedule.tick(h.advance(1000))
    expect(after.notices.byKey(removalNoticeKey('terminal-1'))?.active).toBe(true)
    expect(scheduled().filter((e) => e.action === 'removal_due')).toHaveLength(1)
  })

  it('sends nothing for a resolved or cancelled ticket', () => {
    const { schedule, tickets, ticket } = opened()
    tickets.resolve(ticket.id, 'dave', null)
    schedule.tick(h.set(REMOVAL))
    expect(scheduled()).toEqual([])
  })

  describe('across a restart', () => {
    it('a reminder that fell due while the gateway was down is sent once, on the first tick', () => {
      const { schedule } = opened()
      schedule.tick(h.set('2026-10-01T14:00:00+08:00'))
      // down from 14:00 to 16:00: the 15:00 reminder fell due meanwhile
      const first = h.restart()
      first.schedule.tick(h.set('2026-10-01T16:00:00+08:00'))
      first.schedule.tick(h.advance(5000))
      const second = h.restart()
      second.schedule.tick(h.advance(5000))
      expect(scheduled()).toEqual([{ action: 'reminder', at: iso('2026-10-01T16:00:00+08:00'), fraction: 0.5 }])
    })

    it('down across both reminders: only the latest is sent, the earlier one is superseded', () => {
      opened()
      const after = h.restart()
      after.schedule.tick(h.set('2026-10-02T11:00:00+08:00'))
      after.schedule.tick(h.set('2026-10-02T12:00:00+08:00'))
      expect(scheduled()).toEqual([{ action: 'reminder', at: iso('2026-10-02T11:00:00+08:00'), fraction: 0.8 }])
      expect(after.tickets.list()[0]?.remindersSent).toEqual([0.5, 0.8])
    })

    it('down past the due time: the escalation goes out once and the unsent reminders are not sent after it', () => {
      opened()
      const after = h.restart()
      after.schedule.tick(h.set('2026-10-03T09:00:00+08:00'))
      after.schedule.tick(h.set('2026-10-03T10:00:00+08:00'))
      expect(scheduled()).toEqual([{ action: 'breached', at: iso('2026-10-03T09:00:00+08:00') }])
    })

    it('down past seven days: the escalation and the removal task both go out on the first tick', () => {
      opened()
      const after = h.restart()
      after.schedule.tick(h.set('2026-10-09T09:00:00+08:00'))
      expect(scheduled().map((e) => e.action)).toEqual(['breached', 'removal_due'])
      expect(after.notices.byKey(removalNoticeKey('terminal-1'))?.active).toBe(true)
      h.restart().schedule.tick(h.advance(1000))
      expect(scheduled()).toHaveLength(2)
    })
  })
})
