import type { Alarm, AlarmKind } from './alarm.js'

/**
 * Kinds every member of staff sees but nothing sounds for (docs/requirements.md#escalated-complaint):
 * a siren over an angry crowd or a reporter's camera would make things worse.
 */
export const QUIET_KINDS: ReadonlySet<AlarmKind> = new Set<AlarmKind>(['complaint_escalation'])

/**
 * Whether a siren, strobe or buzzer must never sound for this alarm, whatever a route says:
 * a silent one (robbery, docs/requirements.md#robbery) or a quiet kind.
 */
export function soundsNothing(alarm: Pick<Alarm, 'silent' | 'kind'>): boolean {
  return alarm.silent || QUIET_KINDS.has(alarm.kind)
}
