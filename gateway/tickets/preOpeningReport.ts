import { DateTime } from 'luxon'
import cron, { type ScheduledTask } from 'node-cron'
import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import type { Alarm } from '../core/alarm.js'
import { type Clock, isoAt } from '../core/clock.js'
import type { EventBus, ReportEvent } from '../core/events.js'
import type { DeviceDirectory } from '../core/ports.js'
import type { PreOpeningReport, ReportDevice, Ticket } from '../core/ticket.js'
import type { Logger } from '../log.js'
import type { JobRunStore } from './jobRunStore.js'

/** Where the report goes after its run is recorded: retained `reports/pre-opening` and `events`. */
export interface ReportPublisher {
  report(event: ReportEvent): void
}

export interface PreOpeningReportOptions {
  /** The store's opening hours (the `store` calendar), whatever calendar the SLA uses. */
  readonly calendar: Pick<BusinessCalendar, 'nextOpening' | 'timeZone'>
  /** The service standard §5.1 (docs/requirements.md#store-opening): minutes before opening (config `tickets.preOpeningReportMin`, default 30). */
  readonly leadMin: number
  readonly devices: DeviceDirectory
  /** Every open alarm, silent ones included: the report is for managers. */
  readonly alarms: { list(): readonly Alarm[] }
  readonly tickets: { open(): readonly Ticket[] }
  readonly runs: JobRunStore
  readonly publisher: ReportPublisher
  readonly events: Pick<EventBus, 'emit'>
  readonly clock: Clock
  readonly log?: Logger
}

const JOB = 'pre_opening_report'
const MINUTE_MS = 60_000
/** Openings looked back over on a catch-up; older ones are stale anyway (see `isStale`). */
const LOOK_BACK_MS = 2 * 86_400_000
/** Made later than this after its time, a report says so. */
const LATE_AFTER_MS = 5 * MINUTE_MS

/**
 * The service standard §5.1 (docs/requirements.md#store-opening) 营业前: half an hour before the day's opening the duty manager
 * checks the hall; this report gives them every device's state, open alarms
 * and open tickets. node-cron runs the check every minute in the store's time
 * zone, and the gateway's tick runs it too; the last run is kept in SQLite, so
 * a run missed (gateway down, busy loop, clock jump) is caught up once, on the
 * next tick, as long as that is still the opening's day.
 */
export function createPreOpeningReport(options: PreOpeningReportOptions) {
  const { calendar, devices, alarms, tickets, runs, publisher, events, clock } = options
  const leadMs = options.leadMin * MINUTE_MS
  let task: ScheduledTask | null = null

  const localDay = (ms: number) => DateTime.fromMillis(ms, { zone: calendar.timeZone }).startOf('day')
  /** One report a day: before its first opening, not again after a lunch break. */
  const isFirstOfDay = (openingMs: number) => calendar.nextOpening(localDay(openingMs).toMillis() - 1) === openingMs
  const isStale = (openingMs: number, nowMs: number) => nowMs >= localDay(openingMs).plus({ days: 1 }).toMillis()

  /** The opening whose report is due at `nowMs` and not yet made, or null. */
  function dueOpening(nowMs: number): number | null {
    const lastRun = runs.lastRun(JOB)
    const last = lastRun?.occurrenceMs ?? Number.NEGATIVE_INFINITY
    // never run (a new install): nothing was missed, so no catching up on an opening already past
    const from = lastRun === null ? nowMs - leadMs : Math.max(last, nowMs - LOOK_BACK_MS)
    let latest: number | null = null
    let opening = calendar.nextOpening(from)
    // bounded: two days of openings, even with several ranges a day
    for (let i = 0; opening !== null && opening - leadMs <= nowMs && i < 1000; i++) {
      if (isFirstOfDay(opening)) latest = opening
      opening = calendar.nextOpening(opening)
    }
    return latest === null || latest <= last || isStale(latest, nowMs) ? null : latest
  }

  function build(nowMs: number, openingMs: number): PreOpeningReport {
    const deviceList: ReportDevice[] = devices.list().map((d) => ({
      id: d.id,
      type: d.type,
      zone: d.zone,
      name: d.name,
      status: d.status,
      lastSeen: d.lastSeen,
      faults: d.faults,
      values: d.values,
    }))
    const openAlarms = alarms.list()
    const openTickets = tickets.open()
    return {
      openingAt: isoAt(openingMs),
      generatedAt: isoAt(nowMs),
      late: nowMs > openingMs - leadMs + LATE_AFTER_MS,
      summary: {
        devices: deviceList.length,
        devicesFaulty: deviceList.filter((d) => d.status === 'fault').length,
        openAlarms: openAlarms.length,
        openTickets: openTickets.length,
        overdueTickets: openTickets.filter((t) => Date.parse(t.dueAt) <= nowMs).length,
      },
      devices: deviceList,
      alarms: openAlarms,
      tickets: openTickets,
    }
  }

  /** Makes the report if one is due; returns it, or null. Recorded before it is published (docs/design.md#journal-before-publish). */
  function tick(nowMs: number): PreOpeningReport | null {
    const openingMs = dueOpening(nowMs)
    if (openingMs === null) return null
    const report = build(nowMs, openingMs)
    runs.recordRun(JOB, openingMs, nowMs)
    const event: ReportEvent = { type: 'report', kind: 'pre_opening', report, at: report.generatedAt }
    publisher.report(event)
    events.emit(event)
    return report
  }

  return {
    tick,
    dueOpening,
    /** Runs `tick` every minute with node-cron in the store's time zone. */
    start(): void {
      if (task) return
      const run = () => {
        try {
          tick(clock.now())
        } catch (err) {
          options.log?.error({ err }, 'pre-opening report failed')
        }
      }
      const log = options.log
      // node-cron logs to the console by default; its "missed execution" warnings belong in ours (the tick catches up)
      const logger = log && {
        info: (msg: string) => log.debug({ cron: JOB }, msg),
        warn: (msg: string) => log.warn({ cron: JOB }, msg),
        error: (msg: string | Error, err?: Error) => log.error({ cron: JOB, err: err ?? msg }, 'node-cron error'),
        debug: (msg: string | Error) => log.debug({ cron: JOB }, String(msg)),
      }
      task = cron.schedule('* * * * *', run, {
        timezone: calendar.timeZone,
        name: JOB,
        noOverlap: true,
        unref: true,
        ...(logger ? { logger } : {}),
      })
    },
    stop(): void {
      void task?.destroy()
      task = null
    },
  }
}

export type PreOpeningReporter = ReturnType<typeof createPreOpeningReport>
