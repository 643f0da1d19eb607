import { randomBytes } from 'node:crypto'
import type { Alarm, AlarmState } from '../core/alarm.js'
import { StoreGuardError } from '../core/errors.js'
import type { RaiseIntent } from '../core/intent.js'
import { type AlarmInput, nextAlarmState } from './alarmLifecycle.js'

/**
 * The alarm records themselves: building a new alarm from a rule's intent and
 * working out the next record for a repeated raise or a lifecycle input. Pure
 * apart from the new id; the service journals, publishes and fans them out.
 */

/** A new alarm for a condition that has none open. */
export function newAlarm(intent: RaiseIntent, at: string, locale: 'zh-CN' | 'en'): Alarm {
  return {
    id: `${intent.kind}-${Date.parse(at).toString(36)}-${randomBytes(3).toString('hex')}`,
    key: intent.key,
    kind: intent.kind,
    severity: intent.severity,
    state: 'active_unacked',
    conditionActive: true,
    latching: intent.latching,
    silent: intent.silent,
    deviceId: intent.deviceId,
    zone: intent.zone,
    message: intent.messages[locale],
    messages: intent.messages,
    checklist: intent.checklist,
    raisedAt: at,
    updatedAt: at,
    ackedAt: null,
    ackedBy: null,
    clearedAt: null,
    resetAt: null,
    resetBy: null,
    note: null,
    details: intent.details ?? {},
    escalationLevel: 0,
    resetRole: intent.resetPolicy?.role ?? 'staff',
    resetNoteRequired: intent.resetPolicy?.noteRequired ?? false,
    shelvable: intent.shelvable ?? true,
    shelvedUntil: null,
    shelvedBy: null,
    shelveReason: null,
    chattering: false,
  }
}

/**
 * A rule raises a condition whose alarm is open: the updated alarm, re-annunciated when it had been
 * acknowledged or cleared; null when nothing it says has changed, so a repeat writes nothing.
 */
export function raisedAgain(
  existing: Alarm,
  intent: RaiseIntent,
  at: string,
  locale: 'zh-CN' | 'en',
): { alarm: Alarm; action: 'raised' | 'updated' } | null {
  const moved = moveAlarm(existing, 'raise')
  const reannunciated = moved.state === 'active_unacked' && existing.state !== 'active_unacked'
  const details = { ...existing.details, ...intent.details }
  const changed =
    moved.state !== existing.state ||
    moved.conditionActive !== existing.conditionActive ||
    intent.severity !== existing.severity ||
    intent.messages.en !== existing.messages.en ||
    intent.messages['zh-CN'] !== existing.messages['zh-CN'] ||
    !sameDetails(details, existing.details)
  if (!changed) return null
  const updated: Alarm = {
    ...existing,
    ...moved,
    severity: intent.severity,
    message: intent.messages[locale],
    messages: intent.messages,
    checklist: intent.checklist,
    details,
    updatedAt: at,
    ...(reannunciated ? { ackedAt: null, ackedBy: null, clearedAt: null } : {}),
  }
  return { alarm: updated, action: reannunciated ? 'raised' : 'updated' }
}

/** The state an input moves the alarm to; throws the lifecycle's refusal as a StoreGuardError. */
export function moveAlarm(alarm: Alarm, input: AlarmInput): { state: AlarmState; conditionActive: boolean } {
  const t = nextAlarmState(alarm, alarm.latching, input)
  if (!t.ok) {
    const why = t.code === 'condition_still_active' ? 'its condition is still present' : `it is ${alarm.state}`
    throw new StoreGuardError(t.code, `cannot ${input} alarm ${alarm.id}: ${why}`)
  }
  return t.to
}

function sameDetails(a: Alarm['details'], b: Alarm['details']): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k])
}
