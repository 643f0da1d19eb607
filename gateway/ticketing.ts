import { dirname } from 'node:path'
import type { AlarmService } from './alarms/alarmService.js'
import type { MqttBus } from './bus/mqttBus.js'
import { createCalendar } from './calendar/createCalendar.js'
import type { LoadedConfig } from './config/loadConfig.js'
import type { Clock } from './core/clock.js'
import type { EventBus, TicketRequestEvent } from './core/events.js'
import type { DeviceDirectory, TicketCommands } from './http/apiPorts.js'
import type { Logger } from './log.js'
import type { GatewayMetrics } from './metrics.js'
import type { NoticeService } from './notices/noticeService.js'
import type { SqliteDatabase } from './storage/database.js'
import { createJobRunStore } from './tickets/jobRunStore.js'
import { createMqttTicketPublisher } from './tickets/mqttTicketPublisher.js'
import { createPreOpeningReport } from './tickets/preOpeningReport.js'
import { createTicketSchedule } from './tickets/ticketSchedule.js'
import { createTicketService } from './tickets/ticketService.js'
import { createTicketStore } from './tickets/ticketStore.js'

export interface Ticketing {
  readonly commands: TicketCommands
  /** A terminal fault episode asks for a ticket (SPEC §6). */
  request(event: TicketRequestEvent): void
  /** Time-based work: auto-resolve, reminders, breach, removal, the pre-opening report. */
  tick(now: number): void
  stop(): void
}

/**
 * Repair tickets against the business-day SLA (SPEC §6): the SLA runs on
 * `tickets.calendar`; the pre-opening report follows the store's own hours.
 */
export function startTicketing(deps: {
  readonly config: LoadedConfig
  readonly db: SqliteDatabase
  readonly bus: MqttBus
  readonly events: EventBus
  readonly clock: Clock
  readonly log: Logger
  readonly metrics: GatewayMetrics
  readonly notices: NoticeService
  readonly alarms: AlarmService
  readonly devices: DeviceDirectory
}): Ticketing {
  const { config, db, events, clock, notices } = deps
  const log = deps.log.child({ mod: 'tickets' })
  const slaCalendar = createCalendar(config.store, config.tickets, {
    configDir: dirname(config.file),
    onUnknownYear: (year) => unknownYear(year, deps),
  })
  const storeCalendar = createCalendar(config.store, { ...config.tickets, calendar: 'store' })
  const publisher = createMqttTicketPublisher(deps.bus, config.topicPrefix)
  const deviceConfig = (id: string) => config.devices.find((d) => d.id === id)
  const tickets = createTicketService({
    store: createTicketStore(db),
    publisher: publisher.tickets,
    events,
    clock,
    calendar: slaCalendar,
    config: config.tickets,
    zoneOf: (id) => deviceConfig(id)?.zone ?? null,
    locale: config.store.locale,
    log,
  })
  tickets.republishOpen()
  // auto-resolve follows the ticket's alarm (issue 5 §3)
  events.subscribe((event) => {
    if (event.type === 'alarm') tickets.onAlarm(event)
  })
  const schedule = createTicketSchedule({
    tickets,
    notices,
    calendar: slaCalendar,
    config: config.tickets,
    nameOf: (id) => deviceConfig(id)?.name ?? null,
  })
  const preOpening = createPreOpeningReport({
    calendar: storeCalendar,
    leadMin: config.tickets.preOpeningReportMin,
    devices: deps.devices,
    alarms: deps.alarms,
    tickets,
    runs: createJobRunStore(db),
    publisher: publisher.reports,
    events,
    clock,
    log,
  })
  preOpening.start()
  return {
    commands: tickets,
    request: (event) => tickets.request(event),
    tick(now) {
      tickets.tick(now)
      schedule.tick(now)
      preOpening.tick(now)
    },
    stop: () => preOpening.stop(),
  }
}

/**
 * Issue 5 §1: a year with no published holiday data is a known state, not a
 * silent one: the calendar falls back to Monday–Friday, and says so in the
 * log, in a metric and to staff.
 */
function unknownYear(
  year: number,
  deps: { readonly log: Logger; readonly metrics: GatewayMetrics; readonly notices: NoticeService },
): void {
  deps.log.warn({ year }, 'no statutory holiday data for this year: SLA clock falls back to Monday–Friday')
  deps.metrics.calendarYearWithoutData.set({ year: String(year) }, 1)
  deps.notices.post(
    {
      type: 'notice',
      key: `calendar_no_data:${year}`,
      audience: 'staff',
      zone: null,
      deviceId: null,
      texts: {
        'zh-CN': `${year} 年法定节假日数据尚未发布：维修时限暂按周一至周五计算，请更新节假日数据或配置 holidayOverrides`,
        en: `No statutory holiday data for ${year} yet: repair deadlines count Monday to Friday until the holiday data is updated or holidayOverrides is set`,
      },
      endsAt: null,
    },
    'gateway:calendar',
  )
}
