import type { Alarm, AlarmKind, LocalizedText } from './alarm.js'
import type { AlarmAction } from './events.js'
import type { Notice, NoticeAudience } from './notice.js'
import type { DeviceType, ReadingValue } from './reading.js'
import type { Ticket, TicketStatus } from './ticket.js'

/** One recorded change of an alarm, as the journal keeps it. */
export interface JournalEntry {
  readonly seq: number
  readonly alarmId: string
  readonly action: AlarmAction
  readonly by: string
  readonly at: string
  readonly alarm: Alarm
}

/**
 * What the HTTP API, the bridge and the wiring need from the domain services. The contracts live in
 * core so alarms, tickets, engine, sinks and bridge never import gateway/http; the composition root
 * (gateway/main/) passes the real services (docs/design.md#one-way-imports).
 */
export interface AlarmCommands {
  /** Open alarms (state not `closed`), newest first. */
  list(): readonly Alarm[]
  /** Throws StoreGuardError `alarm_not_found` or `alarm_transition_invalid`. */
  ack(id: string, by: string, note: string | null): Alarm
  /** Throws `alarm_not_found`, `alarm_transition_invalid` or `condition_still_active`. */
  reset(id: string, by: string, note: string | null): Alarm
  /** Throws `alarm_not_found` or `shelve_not_allowed` (fire, robbery). */
  shelve(id: string, by: string, untilMs: number, reason: string): Alarm
  /** Every recorded change of an alarm, open or closed; empty for an unknown id. */
  history(id: string): readonly JournalEntry[]
  /** The open alarm, if any. */
  get(id: string): Alarm | undefined
}

export interface NoticeDirectory {
  list(audience?: NoticeAudience): readonly Notice[]
}

/** A notice a person posts through the API (docs/requirements.md#notices); its texts already cleaned. */
export interface PostedNotice {
  readonly audience: NoticeAudience
  readonly zone: string | null
  readonly deviceId: string | null
  readonly texts: LocalizedText
  /** Milliseconds since the epoch; null or past: now. A later start is planned work, shown from then on. */
  readonly startsAt: number | null
  /** Milliseconds since the epoch; null: until withdrawn. */
  readonly endsAt: number | null
}

/** Notices posted and withdrawn by people; the rules' own notices stay the rules'. */
export interface NoticeCommands {
  /** Throws StoreGuardError `too_many_notices` when as many as allowed are up already. */
  postByPerson(notice: PostedNotice, by: string): Notice
  /** Throws StoreGuardError `notice_not_found`, or `notice_not_withdrawable` for a rule's notice. */
  withdrawById(id: string, by: string): Notice
  /** People's notices posted for a later start, not shown anywhere yet. */
  scheduled(): readonly Notice[]
}

/** Which closed alarms to read, newest closed first; `after` is the last one of the page before. */
export interface ClosedAlarmQuery {
  /** ISO 8601: closed at or after. */
  readonly since: string | null
  /** ISO 8601: closed before. */
  readonly before: string | null
  readonly kind: AlarmKind | null
  readonly zone: string | null
  readonly after: { readonly closedAt: string; readonly id: string } | null
  readonly limit: number
}

/** Closed alarms as the journal keeps them, for the history view; visibility is the caller's. */
export interface ClosedAlarms {
  /** At most `limit`, ordered by closing time then id, both descending. */
  page(query: ClosedAlarmQuery): readonly Alarm[]
}

export interface DeviceStatus {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  readonly name: string | null
  /** ISO 8601, null if never heard from since start. */
  readonly lastSeen: string | null
  readonly values: Readonly<Record<string, { readonly value: ReadingValue; readonly at: string }>>
  readonly transport: 'mqtt' | 'modbus' | 'gpio'
  /** Supervision (docs/requirements.md#supervision): `fault` ("trouble") while any device fault is open, with its reasons. */
  readonly status: 'ok' | 'fault'
  readonly faults: readonly DeviceFault[]
}

export interface DeviceFault {
  /** e.g. `silent`, `comm`, `tamper`, `battery`. */
  readonly reason: string
  readonly since: string
  readonly message: string
  /** From a silent alarm (a tampered panic button): shown to managers and admins only. */
  readonly silent: boolean
}

export interface DeviceDirectory {
  list(): readonly DeviceStatus[]
}

/** The alarm journal in `/healthz`: `down` names the disk error and what waits in memory. */
export type JournalStatus =
  | { readonly state: 'up' }
  | {
      readonly state: 'down'
      readonly reason: string
      readonly memoryOnly: boolean
      readonly pendingWrites: number
      readonly lostWrites: number
    }

export interface HealthReport {
  readonly status: 'ok' | 'degraded'
  readonly store: string
  readonly uptimeSec: number
  readonly broker: 'up' | 'down'
  /** The alarm journal: down while its disk is full or read-only and alarms are held in memory (README "Degraded mode"). */
  readonly journal?: JournalStatus
  readonly openAlarms: number
  /** The upstream bridge, when configured: session up, and what waits for the centre. */
  readonly central?: { readonly connected: boolean; readonly queued: number; readonly oldestQueuedAt: string | null }
  /** The last config reload (SIGHUP), if any, and how many changed settings wait for a restart. */
  readonly config?: ConfigStatus
}

export interface ConfigStatus {
  readonly lastReload: { readonly result: string; readonly at: string } | null
  readonly restartPending: number
}

/** A facility with no sensor that staff report broken (docs/requirements.md#hand-opened-tickets); texts already cleaned. */
export interface HandOpenedTicket {
  /** What is broken, as staff name it ("chair at counter 3"). */
  readonly facility: string
  /** Where: a zone of the store. */
  readonly zone: string
  /** What is wrong with it: text, no photos. */
  readonly description: string
}

/** Repair tickets (docs/requirements.md#repair-tickets, docs/requirements.md#http-api). Commands throw StoreGuardError `ticket_not_found` or `ticket_transition_invalid`. */
export interface TicketCommands {
  /** Opens a ticket for a facility staff report by hand (docs/requirements.md#hand-opened-tickets). */
  openByHand(report: HandOpenedTicket, by: string): Ticket
  /** Without a status: tickets still waiting for a repair, newest first; with one: that status, newest first, at most `limit` (default 100). */
  list(filter?: { readonly status?: TicketStatus; readonly limit?: number }): readonly Ticket[]
  /** Any ticket, open or closed. */
  get(id: string): Ticket | undefined
  ack(id: string, by: string, note: string | null): Ticket
  /** Someone is on it: `assignee` (default: `by`). Again while in progress reassigns it. */
  start(id: string, by: string, assignee: string | null, note: string | null): Ticket
  resolve(id: string, by: string, note: string | null): Ticket
  cancel(id: string, by: string, note: string | null): Ticket
}
