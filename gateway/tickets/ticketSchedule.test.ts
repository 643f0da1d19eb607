import { afterEach, describe, expect, it } from 'vitest'
import { ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import { createCalendar } from '../calendar/createCalendar.js'
import { everyDay } from '../calendar/testing/everyDay.js'
import type { TicketEvent } from '../core/events.js'
import type { Ticket } from '../core/ticket.js'
import { removalNotice, removalNoticeKey } from './ticketSchedule.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
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

  it('runs on the cn-workdays calendar across the National Day block (worked example 1), through a restart in the holiday', () => {
    const calendar = createCalendar(
      { timeZone: 'Asia/Shanghai', businessHours: everyDay([]), specialDays: [] },
      { calendar: 'cn-workdays', workdayHours: [{ open: '09:00', close: '18:00' }] },
    )
    h = ticketHarness({ start: OPENED, calendar })
    const first = h.start()
    const ticket = first.tickets.request(ticketRequest('terminal-1', ['printer'], h.now()))
    // SLA: 2 business days × 9 h = 18 h of working time; holidays Thu 10-01 .. Wed 10-07.
    // 50 % = 9 h:     Wed 09-30 15:00–18:00 (3 h) + Thu 10-08 09:00–15:00 (6 h)            → 10-08 15:00
    // 80 % = 14.4 h:  3 h + Thu 10-08 09:00–18:00 (9 h) + Fri 10-09 09:00–11:24 (2 h 24 min) → 10-09 11:24
    // breach = 18 h:  3 h + 9 h + Fri 10-09 09:00–15:00 (6 h)                                → 10-09 15:00
    // removal = 7 days of wall clock (the emergency plan, docs/requirements.md#terminal-fault: "not repaired within a week"), holiday or not → 10-07 15:00,
    //           before the breach: the terminal stood broken in the hall all through the holiday
    expect(ticket.dueAt).toBe(iso('2026-10-09T15:00:00+08:00'))
    const expected = [
      { action: 'removal_due', at: iso('2026-10-07T15:00:00+08:00') },
      { action: 'reminder', at: iso('2026-10-08T15:00:00+08:00'), fraction: 0.5 },
      { action: 'reminder', at: iso('2026-10-09T11:24:00+08:00'), fraction: 0.8 },
      { action: 'breached', at: iso('2026-10-09T15:00:00+08:00') },
    ]
    // a tick every half hour, and every minute in the two hours before each instant (a tick costs a
    // calendar walk per reminder; every minute for twelve days would make a slow test): anything sent
    // early or late shows in its `at`
    const near = (ms: number) => expected.some((e) => ms <= Date.parse(e.at) && ms > Date.parse(e.at) - 2 * HOUR_MS)
    let schedule = first.schedule
    const tickUntil = (local: string) => {
      for (const end = Date.parse(local); h.now() < end; )
        schedule.tick(h.advance(near(h.now() + MINUTE_MS) ? MINUTE_MS : 30 * MINUTE_MS))
    }
    tickUntil('2026-10-04T12:00:00+08:00')
    schedule = h.restart().schedule
    tickUntil('2026-10-12T09:00:00+08:00')
    expect(scheduled()).toEqual(expected)
  })

  describe('across a restart', () => {
    it('restarted before a reminder is due: the reminder goes out on time, once', () => {
      const { schedule } = opened()
      for (const end = Date.parse('2026-10-01T12:00:00+08:00'); h.now() < end; ) schedule.tick(h.advance(MINUTE_MS))
      // down at 12:00, up again at 12:30, two and a half hours before the 50 % reminder
      h.advance(30 * MINUTE_MS)
      const after = h.restart()
      for (const end = Date.parse('2026-10-01T18:00:00+08:00'); h.now() < end; )
        after.schedule.tick(h.advance(MINUTE_MS))
      h.restart().schedule.tick(h.advance(MINUTE_MS))
      expect(scheduled()).toEqual([{ action: 'reminder', at: iso(HALF), fraction: 0.5 }])
    })

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

describe('removal notice: zone names', () => {
  it('names a listed zone by what staff call it, in each language, and keeps the notice zone the id', () => {
    const ticket = {
      id: 't-1',
      deviceId: 'terminal-1',
      deviceType: 'terminal',
      zone: 'hall',
      openedAt: iso('2026-09-30T15:00:00+08:00'),
      removalDueAt: iso('2026-10-07T15:00:00+08:00'),
    } as Ticket
    const notice = removalNotice(ticket, 'ATM 1', { hall: { 'zh-CN': '营业厅', en: 'Sales hall' } })
    expect(notice.zone).toBe('hall')
    expect(notice.texts['zh-CN']).toBe('请将自助终端 ATM 1（营业厅）撤出营业厅：故障已超过 7 天未修复（工单 t-1）')
    expect(notice.texts.en).toBe(
      'Remove self-service terminal ATM 1 (Sales hall) from the hall: not repaired for over 7 days (ticket t-1)',
    )
  })
})
