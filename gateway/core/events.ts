import type { Alarm, LocalizedText } from './alarm.js'
import type { Notice } from './notice.js'
import type { Reading } from './reading.js'
import type { PreOpeningReport, Ticket, TicketAction, TicketSlaRecord } from './ticket.js'

/** What happened to an alarm, as published on `events` (docs/requirements.md#mqtt-topics). */
export type AlarmAction =
  | 'raised'
  | 'updated'
  | 'cleared'
  | 'acked'
  | 'reset'
  | 'escalated'
  | 'shelved'
  | 'unshelved'
  | 'chattering'
  | 'settled'

export interface AlarmEvent {
  readonly type: 'alarm'
  readonly action: AlarmAction
  readonly alarm: Alarm
  /** Who caused it: a user name, or `rule:<id>` for the engine. */
  readonly by: string
  readonly at: string
}

export interface ReadingEvent {
  readonly type: 'reading'
  readonly reading: Reading
}

export type NoticeAction = 'posted' | 'updated' | 'withdrawn' | 'expired'

export interface NoticeEvent {
  readonly type: 'notice'
  readonly action: NoticeAction
  readonly notice: Notice
  readonly by: string
  readonly at: string
}

/** docs/requirements.md#repair-tickets: a terminal fault episode asks for a repair ticket. */
export interface TicketRequestEvent {
  readonly type: 'ticket_request'
  readonly deviceId: string
  readonly alarmKey: string
  readonly alarmId: string | null
  readonly faultCodes: readonly string[]
  readonly reason: LocalizedText
  readonly at: string
  /** `rule:<id>` of the rule that asked (docs/requirements.md#ticketable-facilities); absent: the terminal-fault rule. */
  readonly by?: string
}

/** EEMUA 191 / ISA-18.2: more alarms than a person can handle; one summary for managers. */
export interface AlarmFloodEvent {
  readonly type: 'alarm_flood'
  readonly action: 'started' | 'ended'
  readonly count: number
  readonly windowSec: number
  readonly byKind: Readonly<Record<string, number>>
  readonly at: string
}

/** What happened to a repair ticket (docs/requirements.md#repair-tickets, docs/requirements.md#mqtt-topics `events`). */
export interface TicketEvent {
  readonly type: 'ticket'
  readonly action: TicketAction
  readonly ticket: Ticket
  readonly by: string
  readonly at: string
  /** `reminder`: the share of the SLA used (docs/requirements.md#reminders-and-escalation: 0.5, 0.8). */
  readonly fraction?: number
  /** `resolved`: a row for the `ticket` measurement (docs/requirements.md#resolution-and-sla-record). */
  readonly slaRecord?: TicketSlaRecord
}

/** The service standard §5.1 (docs/requirements.md#store-opening): the health report before opening, for managers. */
export interface ReportEvent {
  readonly type: 'report'
  readonly kind: 'pre_opening'
  readonly report: PreOpeningReport
  readonly at: string
}

export type GatewayEvent =
  | AlarmEvent
  | ReadingEvent
  | NoticeEvent
  | TicketRequestEvent
  | AlarmFloodEvent
  | TicketEvent
  | ReportEvent

type Listener<E> = (event: E) => void

/**
 * Fan-out after the state change is journaled (docs/design.md#hot-path). Listeners are
 * isolated: one that throws is reported and never breaks another.
 */
export class EventBus {
  private readonly listeners = new Set<Listener<GatewayEvent>>()
  constructor(private readonly onListenerError: (err: unknown) => void) {}

  subscribe(listener: Listener<GatewayEvent>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: GatewayEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }
}
