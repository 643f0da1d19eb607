import { dirname } from 'node:path'
import type { AlarmService } from '../alarms/alarmService.js'
import type { MqttBus } from '../bus/mqttBus.js'
import { createCalendar } from '../calendar/createCalendar.js'
import { createHolidayDataWatch } from '../calendar/holidayDataWatch.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { DeviceConfig } from '../config/schema.js'
import { zoneNamesOf } from '../config/zonesSchema.js'
import type { LocalizedText } from '../core/alarm.js'
import type { Clock } from '../core/clock.js'
import { customerDueText } from '../core/customerTime.js'
import type { EventBus, TicketRequestEvent } from '../core/events.js'
import type { DeviceDirectory, TicketCommands } from '../core/ports.js'
import type { Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { NoticeService } from '../notices/noticeService.js'
import type { SqliteDatabase } from '../storage/database.js'
import { createJobRunStore } from '../tickets/jobRunStore.js'
import { createMqttTicketPublisher } from '../tickets/mqttTicketPublisher.js'
import { createPreOpeningReport } from '../tickets/preOpeningReport.js'
import { createTicketSchedule } from '../tickets/ticketSchedule.js'
import { createTicketService } from '../tickets/ticketService.js'
import { createTicketStore } from '../tickets/ticketStore.js'
import { targetBusinessDays } from '../tickets/ticketTargets.js'

export interface Ticketing {
  readonly commands: TicketCommands
  /** A terminal fault episode asks for a ticket (docs/requirements.md#repair-tickets). */
  request(event: TicketRequestEvent): void
  /** Time-based work: auto-resolve, reminders, breach, removal, the pre-opening report. */
  tick(now: number): void
  /** The due time of the device's open ticket as customers read it (docs/requirements.md#customer-notices-say-when). */
  openTicketDue(deviceId: string): LocalizedText | undefined
  /** A config reload's device list: a ticket names and places a device added live. */
  reloadDevices(devices: readonly DeviceConfig[]): void
  stop(): void
}

/**
 * How far ahead the gateway looks for a year without holiday data, in days; the
 * removal horizon (`tickets.removeAfterDays`) when that is longer. A ticket
 * opened today lives until it is repaired or its removal task falls due, and
 * its reminders and due time need the calendar on the days in between: a
 * 2-business-day SLA spans about two weeks at most, even across the Spring
 * Festival block (a longer SLA that reaches further is still warned about, by
 * `onUnknownYear`, when its ticket opens). Thirty days warns from early
 * December, a month before the first day without data: time to install a
 * chinese-days with the State Council's arrangement, usually published by
 * then, or to write holidayOverrides.
 */
const HOLIDAY_DATA_LOOKAHEAD_DAYS = 30

/**
 * Repair tickets against the business-day SLA (docs/requirements.md#business-calendars): the SLA runs on
 * `tickets.calendar`; the pre-opening report follows the store's own hours.
 */
export function startTicketing(deps: {
  readonly config: LoadedConfig
  readonly db: SqliteDatabase
  readonly bus: Pick<MqttBus, 'publish'>
  readonly events: EventBus
  readonly clock: Clock
  readonly log: Logger
  readonly metrics: GatewayMetrics
  readonly notices: NoticeService
  /** Open alarms, for the pre-opening report. */
  readonly alarms: Pick<AlarmService, 'list'>
  readonly devices: DeviceDirectory
}): Ticketing {
  const { config, db, events, clock, notices } = deps
  const log = deps.log.child({ mod: 'tickets' })
  const dataWatch = createHolidayDataWatch({
    calendar: { yearsWithoutData: (fromMs, toMs) => slaCalendar.yearsWithoutData(fromMs, toMs) },
    horizonDays: Math.max(HOLIDAY_DATA_LOOKAHEAD_DAYS, config.tickets.removeAfterDays),
    log: deps.log.child({ mod: 'calendar' }),
    gauge: deps.metrics.calendarYearWithoutData,
    notices,
  })
  const slaCalendar = createCalendar(config.store, config.tickets, {
    configDir: dirname(config.file),
    onUnknownYear: (year) => dataWatch.warn(year),
  })
  dataWatch.check(clock.now())
  const storeCalendar = createCalendar(config.store, { ...config.tickets, calendar: 'store' })
  const publisher = createMqttTicketPublisher(deps.bus, config.topicPrefix)
  let devices: readonly DeviceConfig[] = config.devices
  const deviceConfig = (id: string) => devices.find((d) => d.id === id)
  const tickets = createTicketService({
    store: createTicketStore(db),
    publisher: publisher.tickets,
    events,
    clock,
    calendar: slaCalendar,
    config: config.tickets,
    deviceOf: (id) => deviceConfig(id) ?? null,
    targetOf: (type) => targetBusinessDays(type, config.tickets),
    locale: config.store.locale,
    log,
  })
  tickets.republishOpen()
  // auto-resolve follows the ticket's alarm (docs/requirements.md#resolution-and-sla-record)
  events.subscribe((event) => {
    if (event.type === 'alarm') tickets.onAlarm(event)
  })
  const schedule = createTicketSchedule({
    tickets,
    notices,
    calendar: slaCalendar,
    config: config.tickets,
    nameOf: (id) => deviceConfig(id)?.name ?? null,
    zoneNames: zoneNamesOf(config.zones),
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
    openTicketDue(deviceId) {
      const ticket = tickets.openFor(deviceId)
      return ticket === undefined ? undefined : customerDueText(ticket.dueAt, config.store.timeZone)
    },
    tick(now) {
      dataWatch.tick(now)
      tickets.tick(now)
      schedule.tick(now)
      preOpening.tick(now)
    },
    reloadDevices(next) {
      devices = next
    },
    stop: () => preOpening.stop(),
  }
}
