import type { BusinessCalendar } from '../calendar/businessCalendar.js'
import type { TicketsConfig } from '../config/ticketSchema.js'
import { type Clock, isoAt } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmEvent, EventBus, TicketEvent, TicketRequestEvent } from '../core/events.js'
import type { HandOpenedTicket, TicketCommands } from '../core/ports.js'
import type { DeviceType } from '../core/reading.js'
import {
  isOpenTicket,
  type Ticket,
  type TicketAction,
  type TicketCommand,
  type TicketResolution,
  type TicketStatus,
} from '../core/ticket.js'
import type { Logger } from '../log.js'
import { newTicket, type TicketSubject } from './newTicket.js'
import { nextTicketStatus } from './ticketLifecycle.js'
import type { TicketStore } from './ticketStore.js'
import { type ScheduledWork, scheduledChange, slaOf, slaRecordOf } from './ticketTimeline.js'

/** Where ticket state goes after it is journaled: retained `tickets/<id>` and `events` (docs/requirements.md#mqtt-topics). */
export interface TicketPublisher {
  ticketChanged(event: TicketEvent): void
  /** Republish the retained state alone (after a start: the embedded broker's retained store starts empty). */
  retainTicket(ticket: Ticket): void
}

export interface TicketServiceOptions {
  readonly store: TicketStore
  readonly publisher: TicketPublisher
  readonly events: Pick<EventBus, 'emit'>
  readonly clock: Clock
  /** The SLA calendar (`tickets.calendar`): dueAt and business repair time are measured on it. */
  readonly calendar: BusinessCalendar
  readonly config: Pick<TicketsConfig, 'targetBusinessDays' | 'removeAfterDays' | 'autoResolve' | 'settleSec'>
  /** The device's zone and type from the device list; null when it is not configured (zone 'unknown'). */
  readonly deviceOf: (deviceId: string) => { readonly zone: string; readonly type: DeviceType } | null
  /**
   * The repair target of a device type, or of a hand-opened ticket (null), in business days
   * (ticketTargets.ts); default `config.targetBusinessDays` for every ticket.
   */
  readonly targetOf?: (type: DeviceType | null) => number
  readonly locale: 'zh-CN' | 'en'
  readonly log?: Logger
}

export interface TicketService extends TicketCommands {
  /** docs/requirements.md#repair-tickets: opens the device's ticket, or adds the report to the one already open for it. */
  request(event: TicketRequestEvent): Ticket
  /** Follows the ticket's alarm: cleared → healthy since then; raised again → faulty. */
  onAlarm(event: AlarmEvent): void
  /** Time-based work of the service itself: auto-resolve after `settleSec` healthy (when enabled). */
  tick(nowMs: number): void
  /** Tickets still waiting for a repair, oldest first. */
  open(): readonly Ticket[]
  /** The device's ticket still waiting for a repair, if any; asked every rule tick, so no copies. */
  openFor(deviceId: string): Ticket | undefined
  /** Records a scheduled duty on the ticket, then publishes it (ticketSchedule). */
  recordScheduled(id: string, work: ScheduledWork, atMs: number): Ticket
  republishOpen(): void
}

/** Who asked: the rule that found the fault; the terminal's before the rule said who it was. */
const requestedBy = (event: TicketRequestEvent) => event.by ?? 'rule:terminalFault'
const SCHEDULE_BY = 'gateway:schedule'
const AUTO_RESOLVE_BY = 'gateway:auto-resolve'

/**
 * Repair tickets (docs/requirements.md#repair-tickets): one per terminal and fault episode, journaled
 * before they are published (docs/design.md#journal-before-publish), moved by a small transition table.
 * Pure of timers: `tick(now)` does the time-based work, so tests drive time.
 */
export function createTicketService(options: TicketServiceOptions): TicketService {
  const { store, publisher, events, clock, calendar, config, locale } = options
  const openById = new Map<string, Ticket>()
  for (const t of store.open()) openById.set(t.id, t)

  const openFor = (deviceId: string): Ticket | undefined => {
    for (const t of openById.values()) if (t.deviceId === deviceId) return t
    return undefined
  }

  /** Journal, then publish, then fan out (docs/design.md#journal-before-publish, docs/design.md#hot-path). */
  function commit(ticket: Ticket, action: TicketAction, by: string, extra: EventExtra = {}): Ticket {
    store.save(ticket, action, by)
    if (isOpenTicket(ticket.status)) openById.set(ticket.id, ticket)
    else openById.delete(ticket.id)
    const event: TicketEvent = { type: 'ticket', action, ticket, by, at: ticket.updatedAt, ...extra }
    publisher.ticketChanged(event)
    events.emit(event)
    return ticket
  }

  /** Applies `changes` at `atMs` with a history entry for `action`, and commits it. */
  function change(ticket: Ticket, atMs: number, entry: Entry, changes: Partial<Ticket>, extra: EventExtra = {}) {
    const at = isoAt(atMs)
    const history = [...ticket.history, { at, by: entry.by, action: entry.action, note: entry.note }]
    return commit({ ...ticket, ...changes, updatedAt: at, history }, entry.action, entry.by, extra)
  }

  function request(event: TicketRequestEvent): Ticket {
    const nowMs = clock.now()
    const existing = openFor(event.deviceId)
    if (existing) {
      // Tickets never duplicate (docs/requirements.md#repair-tickets): a new report while one is open joins it
      const faultCodes = [...new Set([...existing.faultCodes, ...event.faultCodes])]
      const entry: Entry = { action: 'fault_reported', by: requestedBy(event), note: event.reason[locale] }
      return change(existing, nowMs, entry, {
        faultCodes,
        alarmKey: event.alarmKey,
        alarmId: event.alarmId ?? existing.alarmId,
      })
    }
    const device = options.deviceOf(event.deviceId)
    const subject: TicketSubject = {
      deviceId: event.deviceId,
      deviceType: device?.type ?? null,
      source: 'rule',
      facility: null,
      zone: device?.zone ?? 'unknown',
      alarmKey: event.alarmKey,
      alarmId: event.alarmId,
      faultCodes: event.faultCodes,
      reason: event.reason,
    }
    return open(subject, nowMs, requestedBy(event))
  }

  /** docs/requirements.md#ticketable-facilities: the target is the device type's (or a hand-opened ticket's). */
  function open(subject: TicketSubject, nowMs: number, by: string): Ticket {
    const targetBusinessDays = options.targetOf?.(subject.deviceType) ?? config.targetBusinessDays
    const ctx = { calendar, config, targetBusinessDays, locale, by }
    const { ticket, fallbackYears } = newTicket(subject, nowMs, ctx)
    if (fallbackYears.length > 0)
      options.log?.warn({ ticketId: ticket.id, years: fallbackYears }, 'SLA due time uses the Monday–Friday fallback')
    return commit(ticket, 'opened', by)
  }

  /**
   * docs/requirements.md#hand-opened-tickets: staff report a facility with no sensor (a broken chair, a dead light).
   * No alarm to follow, so only a person closes it; reminders, escalation and removal run as for any ticket.
   */
  function openByHand(report: HandOpenedTicket, by: string): Ticket {
    const reason = {
      'zh-CN': `${report.facility}：${report.description}`,
      en: `${report.facility}: ${report.description}`,
    }
    const subject: TicketSubject = {
      deviceId: null,
      deviceType: null,
      source: 'staff',
      facility: report.facility,
      zone: report.zone,
      alarmKey: null,
      alarmId: null,
      faultCodes: [],
      reason,
    }
    return open(subject, clock.now(), by)
  }

  function find(id: string): Ticket {
    const ticket = openById.get(id) ?? store.get(id)
    if (!ticket) throw new StoreGuardError('ticket_not_found', `no ticket ${id}`)
    return ticket
  }

  function move(ticket: Ticket, command: TicketCommand): TicketStatus {
    const t = nextTicketStatus(ticket.status, command)
    if (t.ok) return t.to
    throw new StoreGuardError(
      'ticket_transition_invalid',
      `cannot ${command} ticket ${ticket.id}: it is ${ticket.status}`,
    )
  }

  /** Resolve (with its SLA record, docs/requirements.md#resolution-and-sla-record) or cancel (none). */
  function close(ticket: Ticket, by: string, note: string | null, resolution: TicketResolution, atMs: number): Ticket {
    const cancelled = resolution === 'cancelled'
    const status = move(ticket, cancelled ? 'cancel' : 'resolve')
    const sla = cancelled ? null : slaOf(ticket, atMs, calendar)
    const changes = { status, resolvedAt: isoAt(atMs), resolvedBy: by, resolution, sla }
    const slaRecord = slaRecordOf({ ...ticket, ...changes })
    const entry: Entry = { action: cancelled ? 'cancelled' : 'resolved', by, note }
    return change(ticket, atMs, entry, changes, slaRecord === null ? {} : { slaRecord })
  }

  function ack(id: string, by: string, note: string | null): Ticket {
    const ticket = find(id)
    return change(ticket, clock.now(), { action: 'acked', by, note }, { status: move(ticket, 'ack') })
  }

  function start(id: string, by: string, assignee: string | null, note: string | null): Ticket {
    const ticket = find(id)
    const status = move(ticket, 'start')
    const who = assignee ?? by
    return change(
      ticket,
      clock.now(),
      { action: 'started', by, note: note ?? `assigned to ${who}` },
      { status, assignee: who },
    )
  }

  function onAlarm(event: AlarmEvent): void {
    const ticket = [...openById.values()].find((t) => t.alarmKey === event.alarm.key)
    if (!ticket) return
    const healthy = !event.alarm.conditionActive
    if (healthy === (ticket.healthySince !== null)) return
    const nowMs = clock.now()
    const healthySince = healthy ? (event.alarm.clearedAt ?? isoAt(nowMs)) : null
    const action = healthy ? 'terminal_healthy' : 'terminal_faulty'
    change(ticket, nowMs, { action, by: event.by, note: null }, { healthySince })
  }

  /** docs/requirements.md#resolution-and-sla-record: healthy for the settle time resolves it, only where the site has not asked for a person to confirm. */
  function tick(nowMs: number): void {
    if (!config.autoResolve) return
    for (const ticket of [...openById.values()]) {
      if (ticket.healthySince === null || nowMs - Date.parse(ticket.healthySince) < config.settleSec * 1000) continue
      close(ticket, AUTO_RESOLVE_BY, `healthy for ${config.settleSec} s`, 'auto', nowMs)
    }
  }

  function recordScheduled(id: string, work: ScheduledWork, atMs: number): Ticket {
    const ticket = find(id)
    const { action, note, changes } = scheduledChange(ticket, work, atMs)
    const extra = work.kind === 'reminder' ? { fraction: work.fraction } : {}
    return change(ticket, atMs, { action, by: SCHEDULE_BY, note }, changes, extra)
  }

  return {
    request,
    openByHand,
    onAlarm,
    tick,
    recordScheduled,
    ack,
    start,
    resolve: (id, by, note) => close(find(id), by, note, 'repaired', clock.now()),
    cancel: (id, by, note) => close(find(id), by, note, 'cancelled', clock.now()),
    get: (id) => openById.get(id) ?? store.get(id),
    open: () => [...openById.values()],
    openFor,
    list(filter = {}) {
      if (filter.status === undefined) return [...openById.values()].reverse()
      return store.list(filter.status, filter.limit ?? 100)
    },
    republishOpen() {
      for (const t of openById.values()) publisher.retainTicket(t)
    },
  }
}

type EventExtra = Pick<TicketEvent, 'fraction' | 'slaRecord'>

interface Entry {
  readonly action: TicketAction
  readonly by: string
  readonly note: string | null
}
