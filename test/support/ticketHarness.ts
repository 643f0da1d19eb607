import type { BusinessCalendar } from '../../gateway/calendar/businessCalendar.js'
import { sampleAlarm } from '../../gateway/channels/testing/sampleEvents.js'
import type { TicketsConfig } from '../../gateway/config/ticketSchema.js'
import type { Alarm } from '../../gateway/core/alarm.js'
import type { AlarmEvent, GatewayEvent, TicketRequestEvent } from '../../gateway/core/events.js'
import { EventBus } from '../../gateway/core/events.js'
import { createNoticeService } from '../../gateway/notices/noticeService.js'
import { createNoticeStore } from '../../gateway/notices/noticeStore.js'
import { openDatabase, type SqliteDatabase } from '../../gateway/storage/database.js'
import { createMqttTicketPublisher } from '../../gateway/tickets/mqttTicketPublisher.js'
import { createTicketSchedule } from '../../gateway/tickets/ticketSchedule.js'
import { createTicketService } from '../../gateway/tickets/ticketService.js'
import { createTicketStore } from '../../gateway/tickets/ticketStore.js'
import { dailyCalendar } from './dailyCalendar.js'
import { tempDir } from './tempDir.js'

export const PREFIX = 'storeguard/test-store'

export interface PublishedMessage {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
}

export type HarnessConfig = Pick<
  TicketsConfig,
  'targetBusinessDays' | 'removeAfterDays' | 'autoResolve' | 'settleSec' | 'remindAt'
>

/**
 * Tickets as the gateway runs them — real SQLite in a temp dir, the real
 * notice service and MQTT publisher over a recording bus — with a clock the
 * test moves. `restart()` builds everything anew over the same database, as
 * after `kill -9`.
 */
export function ticketHarness(options: {
  start: string
  config?: Partial<HarnessConfig>
  calendar?: BusinessCalendar
}) {
  const dir = tempDir('storeguard-tickets-')
  let db: SqliteDatabase = openDatabase(dir.path)
  let now = Date.parse(options.start)
  const clock = { now: () => now }
  const calendar = options.calendar ?? dailyCalendar()
  const config: HarnessConfig = {
    targetBusinessDays: 2,
    removeAfterDays: 7,
    autoResolve: false,
    settleSec: 600,
    remindAt: [0.5, 0.8],
    ...options.config,
  }
  const messages: PublishedMessage[] = []
  const events: GatewayEvent[] = []

  function start() {
    const bus = new EventBus((err) => {
      throw err
    })
    bus.subscribe((e) => events.push(e))
    const recordingBus = {
      publish: (topic: string, payload: string | Buffer, opts?: { retain?: boolean }) =>
        void messages.push({ topic, payload: String(payload), retain: opts?.retain === true }),
    }
    const publisher = createMqttTicketPublisher(recordingBus, PREFIX)
    const notices = createNoticeService({
      store: createNoticeStore(db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: bus,
      clock,
      locale: 'zh-CN',
    })
    const tickets = createTicketService({
      store: createTicketStore(db),
      publisher: publisher.tickets,
      events: bus,
      clock,
      calendar,
      config,
      deviceOf: (id) => (id.startsWith('terminal-') ? { zone: 'hall', type: 'terminal' } : null),
      locale: 'en',
    })
    const schedule = createTicketSchedule({ tickets, notices, calendar, config, nameOf: () => 'ATM 1' })
    return { tickets, notices, schedule, publisher, bus }
  }

  return {
    clock,
    calendar,
    config,
    messages,
    events,
    db: () => db,
    now: () => now,
    set(iso: string): number {
      now = Date.parse(iso)
      return now
    },
    advance(ms: number): number {
      now += ms
      return now
    },
    start,
    restart() {
      db.close()
      db = openDatabase(dir.path)
      return start()
    },
    close() {
      db.close()
      dir.remove()
    },
    ticketEvents: () => events.filter((e) => e.type === 'ticket'),
  }
}

export function ticketRequest(deviceId: string, faultCodes: string[], at: number): TicketRequestEvent {
  return {
    type: 'ticket_request',
    deviceId,
    alarmKey: `terminal_fault:${deviceId}`,
    alarmId: `terminal_fault-${deviceId}`,
    faultCodes,
    reason: { 'zh-CN': `自助终端故障：${deviceId}`, en: `Terminal fault: ${deviceId}` },
    at: new Date(at).toISOString(),
  }
}

/** The terminal-fault alarm event the ticket service follows for auto-resolve. */
export function terminalAlarmEvent(deviceId: string, conditionActive: boolean, at: number): AlarmEvent {
  const iso = new Date(at).toISOString()
  const alarm: Alarm = sampleAlarm({
    id: `terminal_fault-${deviceId}`,
    key: `terminal_fault:${deviceId}`,
    kind: 'terminal_fault',
    severity: 'major',
    state: conditionActive ? 'active_unacked' : 'cleared_unacked',
    conditionActive,
    latching: false,
    deviceId,
    message: 'Terminal fault',
    messages: { 'zh-CN': '自助终端故障', en: 'Terminal fault' },
    checklist: { 'zh-CN': [], en: [] },
    raisedAt: iso,
    updatedAt: iso,
    clearedAt: conditionActive ? null : iso,
    shelvable: true,
  })
  return { type: 'alarm', action: conditionActive ? 'raised' : 'cleared', alarm, by: 'rule:terminalFault', at: iso }
}
