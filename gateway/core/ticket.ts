import type { Alarm, LocalizedText } from './alarm.js'
import type { DeviceType, ReadingValue } from './reading.js'

/**
 * A device type whose faults get a repair ticket (docs/requirements.md#ticketable-facilities): the
 * seed plans ask it of every facility of the hall, not only the self-service terminals.
 */
export interface TicketableType {
  /**
   * Its shipped repair target in business days; a store overrides it with
   * `tickets.targetBusinessDaysByType`. Undefined: `tickets.targetBusinessDays` (default 2, the
   * self-service devices' target).
   */
  readonly targetBusinessDays?: number
  /** Customers use it, so its fault puts a notice on it for them (docs/requirements.md#customer-notices-say-when). */
  readonly customerFacing: boolean
}

/** Who opened a ticket: a rule, on a device's fault report, or a person, for a facility without a sensor. */
export type TicketSource = 'rule' | 'staff'

/** Ticket statuses (docs/requirements.md#repair-tickets). User-visible, so snake_case. */
export const TICKET_STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'cancelled'] as const
export type TicketStatus = (typeof TICKET_STATUSES)[number]

/** Statuses in which a ticket is still waiting for a repair: it is retained on MQTT and its schedule runs. */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'acknowledged', 'in_progress']

export function isOpenTicket(status: TicketStatus): boolean {
  return OPEN_TICKET_STATUSES.includes(status)
}

/** What a person (or the gateway, for auto-resolve) does to a ticket. */
export type TicketCommand = 'ack' | 'start' | 'resolve' | 'cancel'

/** How a ticket ended: repaired by maintenance, auto-resolved once healthy, or cancelled by a manager. */
export type TicketResolution = 'repaired' | 'auto' | 'cancelled'

/**
 * What happened to a ticket, as published on `events` (docs/requirements.md#mqtt-topics) and kept in
 * its history. `fault_reported`: another fault of the same terminal while the
 * ticket is open; `terminal_healthy` / `terminal_faulty`: its alarm cleared or
 * came back (auto-resolve waits on these).
 */
export type TicketAction =
  | 'opened'
  | 'fault_reported'
  | 'terminal_healthy'
  | 'terminal_faulty'
  | 'acked'
  | 'started'
  | 'resolved'
  | 'cancelled'
  | 'reminder'
  | 'breached'
  | 'removal_due'

export interface TicketHistoryEntry {
  /** ISO 8601. */
  readonly at: string
  /** A user name, `rule:terminalFault`, or `gateway:<job>`. */
  readonly by: string
  readonly action: TicketAction
  readonly note: string | null
}

/** Time to repair against the target (docs/requirements.md#resolution-and-sla-record); recorded when a ticket is resolved, null otherwise. */
export interface TicketSla {
  /** Open time of the SLA calendar between openedAt and resolvedAt. */
  readonly businessRepairMs: number
  readonly wallRepairMs: number
  /** resolvedAt ≤ dueAt. */
  readonly met: boolean
}

/** One repair ticket: one per terminal and fault episode (docs/requirements.md#repair-tickets). */
export interface Ticket {
  readonly id: string
  /** The faulty device; null for a ticket staff opened by hand for a facility without a sensor. */
  readonly deviceId: string | null
  /** Its device type; null for a hand-opened ticket (docs/requirements.md#ticketable-facilities). */
  readonly deviceType: DeviceType | null
  readonly source: TicketSource
  /** What is broken, in the words of whoever opened it by hand ("chair at counter 3"); null for a device's ticket. */
  readonly facility: string | null
  readonly zone: string
  readonly faultCodes: readonly string[]
  /** The terminal-fault alarm that asked for it (null if the alarm was already gone). */
  readonly alarmId: string | null
  /** Its condition: auto-resolve follows the alarm with this key; null for a hand-opened ticket, closed only by a person. */
  readonly alarmKey: string | null
  readonly reason: LocalizedText
  readonly status: TicketStatus
  /** ISO 8601. */
  readonly openedAt: string
  /** openedAt + slaBusinessMs on the business-hours clock (docs/requirements.md#business-hours-clock). */
  readonly dueAt: string
  /** The target in business time, kept so the schedule survives a config change: targetBusinessDays × businessDayMs. */
  readonly slaBusinessMs: number
  readonly assignee: string | null
  /** Reminder fractions handled, sent or superseded by a later one due at the same time (docs/requirements.md#reminders-and-escalation). */
  readonly remindersSent: readonly number[]
  /** When the escalation to the facilities manager went out. */
  readonly breachedAt: string | null
  /** openedAt + removeAfterDays wall-clock days (the emergency plan, docs/requirements.md#terminal-fault: remove an unrepaired terminal from the hall). */
  readonly removalDueAt: string
  readonly removalNotifiedAt: string | null
  /** Since when the ticket's alarm has been cleared; null while the fault is present. */
  readonly healthySince: string | null
  /** When it was resolved or cancelled. */
  readonly resolvedAt: string | null
  readonly resolvedBy: string | null
  readonly resolution: TicketResolution | null
  readonly sla: TicketSla | null
  readonly updatedAt: string
  readonly history: readonly TicketHistoryEntry[]
}

/** One row of the `ticket` measurement (docs/requirements.md#influxdb) for the SLA dashboard. */
export interface TicketSlaRecord extends TicketSla {
  readonly ticketId: string
  readonly deviceId: string | null
  readonly zone: string
  readonly resolution: TicketResolution
  /** ISO 8601. */
  readonly openedAt: string
  readonly dueAt: string
  readonly resolvedAt: string
}

/** A device as the pre-opening report shows it (the service standard §5.1, docs/requirements.md#store-opening: check the hardware before opening). */
export interface ReportDevice {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  readonly name: string | null
  readonly status: 'ok' | 'fault'
  readonly lastSeen: string | null
  readonly faults: readonly { readonly reason: string; readonly since: string; readonly message: string }[]
  readonly values: Readonly<Record<string, { readonly value: ReadingValue; readonly at: string }>>
}

/**
 * The service standard §5.1 (docs/requirements.md#store-opening) 营业前: the duty manager checks the hall half an hour before
 * opening. For managers, so silent alarms are included.
 */
export interface PreOpeningReport {
  /** ISO 8601: the opening it prepares for, and when it was made. */
  readonly openingAt: string
  readonly generatedAt: string
  /** True when made after its time (gateway down, missed run): caught up once. */
  readonly late: boolean
  readonly summary: {
    readonly devices: number
    readonly devicesFaulty: number
    readonly openAlarms: number
    readonly openTickets: number
    readonly overdueTickets: number
  }
  readonly devices: readonly ReportDevice[]
  readonly alarms: readonly Alarm[]
  readonly tickets: readonly Ticket[]
}
