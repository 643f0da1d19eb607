import type { Alarm } from '../core/alarm.js'
import { type Clock, isoAt } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmAction, EventBus } from '../core/events.js'
import type { EscalateIntent, RaiseIntent } from '../core/intent.js'
import type { Logger } from '../core/logger.js'
import type { AlarmCommands, JournalEntry } from '../core/ports.js'
import type { GatewayMetrics } from '../metrics.js'
import { moveAlarm, newAlarm, raisedAgain } from './alarmRecords.js'
import type { AlarmStore } from './alarmStore.js'
import { logAlarmTransition } from './alarmTransitionLog.js'

/** Where alarm state goes after it is journaled: retained MQTT state and events (docs/requirements.md#mqtt-topics). */
export interface AlarmPublisher {
  alarmChanged(alarm: Alarm, action: AlarmAction, by: string): void
  /** Republish the retained state alone, with no event: nothing changed. */
  retainAlarm(alarm: Alarm): void
}

export interface AlarmServiceOptions {
  readonly store: AlarmStore
  readonly publisher: AlarmPublisher
  readonly events: EventBus
  readonly clock: Clock
  readonly locale: 'zh-CN' | 'en'
  readonly metrics: Pick<
    GatewayMetrics,
    'alarmTransitions' | 'openAlarms' | 'silentAlarmTransitions' | 'openSilentAlarms'
  >
  /**
   * The step after every committed change, before the fan-out: sounds or silences the sirens and
   * strobes from the open alarms (gateway/outputs). A plain call, not an event listener, so the
   * alarm is journaled before its siren is driven and the siren waits for no listener (docs/design.md#outputs).
   */
  readonly annunciate: (open: Iterable<Alarm>) => void
  /** Takes one line per committed change (alarmTransitionLog.ts); a silent alarm's at debug only. */
  readonly log: Logger
}

export interface AlarmService extends AlarmCommands {
  /** A rule says the condition is present. Repeats of an unchanged condition write nothing. */
  raise(intent: RaiseIntent, by: string): void
  /** A rule says the condition has gone. */
  clear(key: string, by: string): void
  /** The open alarm for a condition, if any. */
  byKey(key: string): Alarm | undefined
  get(id: string): Alarm | undefined
  /** The open alarms, unsorted and uncopied: for the hot path, where `list()`'s sort is wasted. */
  open(): Iterable<Alarm>
  /** Republishes every open alarm after a start: the embedded broker's retained store starts empty. */
  republishOpen(): void
  /** Raises the escalation level of the open alarm for `key`; a level at or below the current one is ignored. */
  escalate(intent: EscalateIntent, by: string): void
  /** ISA-18.2 shelving: hidden from annunciation until `untilMs`, with a reason. Never for fire or robbery. */
  shelve(id: string, by: string, untilMs: number, reason: string): Alarm
  /** Unshelves alarms whose shelf time is over; called by the engine's tick. */
  unshelveExpired(): void
  /** Marks the alarm for `key` as chattering (input suppressed) or settled again. */
  setChattering(key: string, chattering: boolean, by: string): void
  /** Every recorded change of an alarm, open or closed, oldest first (who and when). */
  history(id: string): JournalEntry[]
}

/**
 * Applies rule intents and user commands to alarms. Every change is saved to
 * the journal first, then published, then annunciated, then fanned out
 * (docs/design.md#journal-before-publish, docs/design.md#hot-path, docs/design.md#outputs): all
 * synchronous, so a reading's alarm is on MQTT before the next message is read.
 * The records are built in alarmRecords.
 */
export function createAlarmService(options: AlarmServiceOptions): AlarmService {
  const { store, publisher, events, clock, locale, metrics, annunciate, log } = options
  const open = new Map<string, Alarm>()
  const openById = new Map<string, Alarm>()
  // silent alarms are counted in their own series, which only managers and admins are served
  const openGauge = (a: Alarm) => (a.silent ? metrics.openSilentAlarms : metrics.openAlarms)
  const transitions = (a: Alarm) => (a.silent ? metrics.silentAlarmTransitions : metrics.alarmTransitions)
  for (const alarm of store.open()) track(alarm)

  function track(alarm: Alarm): void {
    const previous = openById.get(alarm.id)
    if (previous) openGauge(previous).dec({ kind: previous.kind, state: previous.state })
    if (alarm.state === 'closed') {
      open.delete(alarm.key)
      openById.delete(alarm.id)
      return
    }
    open.set(alarm.key, alarm)
    openById.set(alarm.id, alarm)
    openGauge(alarm).inc({ kind: alarm.kind, state: alarm.state })
  }

  function commit(alarm: Alarm, action: AlarmAction, by: string): Alarm {
    store.save(alarm, action, by)
    track(alarm)
    transitions(alarm).inc({ kind: alarm.kind, action })
    logAlarmTransition(log, alarm, action, by)
    publisher.alarmChanged(alarm, action, by)
    annunciate(openById.values())
    events.emit({ type: 'alarm', action, alarm, by, at: alarm.updatedAt })
    return alarm
  }

  function raise(intent: RaiseIntent, by: string): void {
    const at = isoAt(clock.now())
    const existing = open.get(intent.key)
    if (!existing) {
      commit(newAlarm(intent, at, locale), 'raised', by)
      return
    }
    const again = raisedAgain(existing, intent, at, locale)
    if (again !== null) commit(again.alarm, again.action, by)
  }

  function clear(key: string, by: string): void {
    const existing = open.get(key)
    if (!existing?.conditionActive) return
    const at = isoAt(clock.now())
    commit({ ...existing, ...moveAlarm(existing, 'clear'), clearedAt: at, updatedAt: at }, 'cleared', by)
  }

  function command(id: string, input: 'ack' | 'reset', by: string, note: string | null): Alarm {
    const existing = openAlarm(id)
    if (input === 'reset' && existing.resetNoteRequired && (note ?? '').trim() === '') {
      throw new StoreGuardError('note_required', `resetting a ${existing.kind} alarm needs a note`)
    }
    const at = isoAt(clock.now())
    const moved = moveAlarm(existing, input)
    const stamped: Alarm =
      input === 'ack'
        ? { ...existing, ...moved, ackedAt: at, ackedBy: by, updatedAt: at, note: note ?? existing.note }
        : {
            ...existing,
            ...moved,
            // a reset acknowledges too: nobody resets what they have not seen
            ackedAt: existing.ackedAt ?? at,
            ackedBy: existing.ackedBy ?? by,
            resetAt: at,
            resetBy: by,
            updatedAt: at,
            note: note ?? existing.note,
          }
    return commit(stamped, input === 'ack' ? 'acked' : 'reset', by)
  }

  function openAlarm(id: string): Alarm {
    const existing = openById.get(id)
    if (!existing) throw new StoreGuardError('alarm_not_found', `no open alarm ${id}`)
    return existing
  }

  function escalate(intent: EscalateIntent, by: string): void {
    const existing = open.get(intent.key)
    if (!existing || intent.level <= existing.escalationLevel) return
    const at = isoAt(clock.now())
    const details = { ...existing.details, ...intent.details }
    const message = intent.messages[locale]
    commit(
      { ...existing, escalationLevel: intent.level, message, messages: intent.messages, details, updatedAt: at },
      'escalated',
      by,
    )
  }

  function shelve(id: string, by: string, untilMs: number, reason: string): Alarm {
    const existing = openAlarm(id)
    if (!existing.shelvable)
      throw new StoreGuardError('shelve_not_allowed', `${existing.kind} alarms may not be shelved`)
    const at = isoAt(clock.now())
    const shelved = { ...existing, shelvedUntil: isoAt(untilMs), shelvedBy: by, shelveReason: reason, updatedAt: at }
    return commit(shelved, 'shelved', by)
  }

  function unshelveExpired(): void {
    const now = clock.now()
    for (const alarm of [...openById.values()]) {
      if (alarm.shelvedUntil === null || Date.parse(alarm.shelvedUntil) > now) continue
      const unshelved = { ...alarm, shelvedUntil: null, shelvedBy: null, shelveReason: null, updatedAt: isoAt(now) }
      commit(unshelved, 'unshelved', 'gateway:shelf-expired')
    }
  }

  function setChattering(key: string, chattering: boolean, by: string): void {
    const existing = open.get(key)
    if (!existing || existing.chattering === chattering) return
    commit({ ...existing, chattering, updatedAt: isoAt(clock.now()) }, chattering ? 'chattering' : 'settled', by)
  }

  return {
    raise,
    clear,
    ack: (id, by, note) => command(id, 'ack', by, note),
    reset: (id, by, note) => command(id, 'reset', by, note),
    list: () => [...openById.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
    byKey: (key) => open.get(key),
    open: () => openById.values(),
    get: (id) => openById.get(id),
    republishOpen: () => {
      for (const alarm of openById.values()) publisher.retainAlarm(alarm)
    },
    escalate,
    shelve,
    unshelveExpired,
    setChattering,
    history: (id) => store.history(id),
  }
}
