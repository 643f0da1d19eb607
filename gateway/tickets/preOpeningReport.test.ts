import cron from 'node-cron'
import { afterEach, describe, expect, it } from 'vitest'
import { dailyCalendar } from '../../test/support/dailyCalendar.js'
import { PREFIX, terminalAlarmEvent, ticketHarness, ticketRequest } from '../../test/support/ticketHarness.js'
import type { Alarm } from '../core/alarm.js'
import type { ReportEvent } from '../core/events.js'
import type { DeviceStatus } from '../core/ports.js'
import { createJobRunStore } from './jobRunStore.js'
import { createPreOpeningReport } from './preOpeningReport.js'

const MINUTE_MS = 60_000
const iso = (local: string) => new Date(local).toISOString()

const devices: DeviceStatus[] = [
  {
    id: 'terminal-1',
    type: 'terminal',
    zone: 'hall',
    name: 'ATM 1',
    lastSeen: iso('2026-10-01T07:59:00+08:00'),
    values: { status: { value: 'fault', at: iso('2026-10-01T07:59:00+08:00') } },
    transport: 'mqtt',
    status: 'fault',
    faults: [{ reason: 'comm', since: iso('2026-10-01T07:00:00+08:00'), message: 'not heard from', silent: false }],
  },
  {
    id: 'smoke-1',
    type: 'smoke',
    zone: 'hall',
    name: null,
    lastSeen: null,
    values: {},
    transport: 'gpio',
    status: 'ok',
    faults: [],
  },
]
const robbery: Alarm = {
  ...terminalAlarmEvent('panic-1', true, 0).alarm,
  id: 'robbery-1',
  kind: 'robbery',
  silent: true,
}

describe('pre-opening report', () => {
  let h: ReturnType<typeof ticketHarness>
  afterEach(() => h.close())

  /** A reporter as the gateway builds it; a new call after `h.restart()` is the gateway after a restart. */
  function reporter(services = h.start(), calendar = dailyCalendar()) {
    return {
      services,
      report: createPreOpeningReport({
        calendar,
        leadMin: 30,
        devices: { list: () => devices },
        alarms: { list: () => [robbery] },
        tickets: services.tickets,
        runs: createJobRunStore(h.db()),
        publisher: services.publisher.reports,
        events: services.bus,
        clock: h.clock,
      }),
    }
  }
  const reports = () => h.events.filter((e): e is ReportEvent => e.type === 'report').map((e) => e.report)
  const summary = () => reports().map((r) => ({ openingAt: r.openingAt, generatedAt: r.generatedAt, late: r.late }))

  function tickEveryMinute(tick: (now: number) => unknown, untilLocal: string): void {
    for (const end = Date.parse(untilLocal); h.now() <= end; h.advance(MINUTE_MS)) tick(h.now())
  }

  it('is made 30 minutes before opening, once a day', () => {
    h = ticketHarness({ start: '2026-10-01T08:00:00+08:00' })
    const { report } = reporter()
    tickEveryMinute(report.tick, '2026-10-02T21:00:00+08:00')
    expect(summary()).toEqual([
      { openingAt: iso('2026-10-01T09:00:00+08:00'), generatedAt: iso('2026-10-01T08:30:00+08:00'), late: false },
      { openingAt: iso('2026-10-02T09:00:00+08:00'), generatedAt: iso('2026-10-02T08:30:00+08:00'), late: false },
    ])
  })

  it("shows managers every device's state, every open alarm (silent ones too) and the open tickets", () => {
    h = ticketHarness({ start: '2026-10-01T08:30:00+08:00' })
    const { report, services } = reporter()
    const ticket = services.tickets.request(ticketRequest('terminal-1', ['printer'], h.now()))
    const made = report.tick(h.now())
    expect(made).toMatchObject({
      summary: { devices: 2, devicesFaulty: 1, openAlarms: 1, openTickets: 1, overdueTickets: 0 },
      devices: [
        { id: 'terminal-1', status: 'fault', faults: [{ reason: 'comm' }], values: { status: { value: 'fault' } } },
        { id: 'smoke-1', status: 'ok' },
      ],
      alarms: [{ id: 'robbery-1', silent: true }],
      tickets: [{ id: ticket.id }],
    })
    const retained = h.messages.filter((m) => m.topic === `${PREFIX}/reports/pre-opening`)
    expect(retained).toEqual([{ topic: `${PREFIX}/reports/pre-opening`, payload: JSON.stringify(made), retain: true }])
    const events = h.messages.filter((m) => m.topic === `${PREFIX}/events`).map((m) => JSON.parse(m.payload))
    expect(events.at(-1)).toMatchObject({ type: 'report', kind: 'pre_opening', report: { openingAt: made?.openingAt } })
  })

  it('a run missed while the gateway was down is caught up once on the next tick, marked late', () => {
    h = ticketHarness({ start: '2026-10-01T08:30:00+08:00' })
    reporter().report.tick(h.now())
    // down from 10-02 08:00 to 08:50, over the 08:30 run
    h.set('2026-10-02T08:50:00+08:00')
    const first = reporter(h.restart()).report
    first.tick(h.now())
    first.tick(h.advance(MINUTE_MS))
    reporter(h.restart()).report.tick(h.advance(MINUTE_MS))
    expect(summary().slice(1)).toEqual([
      { openingAt: iso('2026-10-02T09:00:00+08:00'), generatedAt: iso('2026-10-02T08:50:00+08:00'), late: true },
    ])
  })

  it('the clock jumping past the report time (NTP sync) still makes it, once', () => {
    h = ticketHarness({ start: '2026-10-01T08:29:00+08:00' })
    const { report } = reporter()
    report.tick(h.now())
    report.tick(h.set('2026-10-01T08:45:00+08:00'))
    report.tick(h.advance(MINUTE_MS))
    expect(summary()).toEqual([
      { openingAt: iso('2026-10-01T09:00:00+08:00'), generatedAt: iso('2026-10-01T08:45:00+08:00'), late: true },
    ])
  })

  it('a missed report is not made once its day is over: the next one comes at its own time', () => {
    h = ticketHarness({ start: '2026-10-01T08:30:00+08:00' })
    reporter().report.tick(h.now())
    h.set('2026-10-03T07:00:00+08:00') // down all of 10-02
    const after = reporter(h.restart()).report
    tickEveryMinute(after.tick, '2026-10-03T09:00:00+08:00')
    expect(summary().slice(1)).toEqual([
      { openingAt: iso('2026-10-03T09:00:00+08:00'), generatedAt: iso('2026-10-03T08:30:00+08:00'), late: false },
    ])
  })

  it('a new install started after the opening makes no report for it: nothing was missed', () => {
    h = ticketHarness({ start: '2026-10-01T15:00:00+08:00' })
    const { report } = reporter()
    tickEveryMinute(report.tick, '2026-10-02T09:00:00+08:00')
    expect(summary().map((r) => r.generatedAt)).toEqual([iso('2026-10-02T08:30:00+08:00')])
  })

  it('with a lunch break, only the first opening of the day gets a report', () => {
    h = ticketHarness({ start: '2026-10-01T08:00:00+08:00' })
    const { report } = reporter(
      h.start(),
      dailyCalendar([
        [9, 12],
        [14, 21],
      ]),
    )
    tickEveryMinute(report.tick, '2026-10-01T21:00:00+08:00')
    expect(summary().map((r) => r.generatedAt)).toEqual([iso('2026-10-01T08:30:00+08:00')])
  })

  it("runs every minute on node-cron in the store's time zone until stopped", () => {
    h = ticketHarness({ start: '2026-10-01T08:00:00+08:00' })
    const { report } = reporter()
    report.start()
    const task = [...cron.getTasks().values()].find((t) => t.name === 'pre_opening_report')
    expect(task?.getPattern()).toBe('* * * * *')
    report.stop()
    expect([...cron.getTasks().values()].some((t) => t.name === 'pre_opening_report')).toBe(false)
  })
})
