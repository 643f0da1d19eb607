import type { Role } from './roles.js'

/** Alarm kinds (docs/requirements.md#rules-and-alarms). User-visible, so snake_case. */
export const ALARM_KINDS = [
  'fire',
  'flood',
  'robbery',
  'terminal_fault',
  'device_fault',
  'power_outage',
  'system_fault',
  'facility_fault',
  'complaint_escalation',
  'queue_wait',
] as const
export type AlarmKind = (typeof ALARM_KINDS)[number]

/** ITU-T X.733 perceived severities, most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const
export type Severity = (typeof SEVERITIES)[number]

/**
 * ISA-18.2 alarm states. `closed` is "normal": the alarm is gone from the
 * open set and its retained MQTT message is removed.
 */
export const ALARM_STATES = ['active_unacked', 'active_acked', 'cleared_unacked', 'closed'] as const
export type AlarmState = (typeof ALARM_STATES)[number]

export interface LocalizedText {
  readonly 'zh-CN': string
  readonly en: string
}

export interface Checklist {
  readonly 'zh-CN': readonly string[]
  readonly en: readonly string[]
}

/** Rule-specific facts about an alarm: fault codes, predicted time to critical, confirmation. */
export type AlarmDetails = Readonly<Record<string, string | number | boolean>>

/** One alarm, as stored, published on MQTT and returned by the API (docs/requirements.md#mqtt-topics). */
export interface Alarm {
  readonly id: string
  /** The condition this alarm stands for: duplicates of it update this alarm. */
  readonly key: string
  readonly kind: AlarmKind
  readonly severity: Severity
  readonly state: AlarmState
  /** False once the condition has gone; a latching alarm then waits for a reset. */
  readonly conditionActive: boolean
  readonly latching: boolean
  /** Robbery (docs/requirements.md#robbery): a silent alarm never drives sirens or customer notices. */
  readonly silent: boolean
  readonly deviceId: string
  readonly zone: string
  /** In the store's locale; `messages` has both languages. */
  readonly message: string
  readonly messages: LocalizedText
  readonly checklist: Checklist
  /** ISO 8601 timestamps. */
  readonly raisedAt: string
  readonly updatedAt: string
  readonly ackedAt: string | null
  readonly ackedBy: string | null
  readonly clearedAt: string | null
  readonly resetAt: string | null
  readonly resetBy: string | null
  readonly note: string | null
  readonly details: AlarmDetails
  /** 0 when raised; each escalation (confirmed fire, 5 / 30 min reminders) adds one. */
  readonly escalationLevel: number
  /** Robbery (docs/requirements.md#robbery): only a manager may reset it, and with a note. */
  readonly resetRole: Role
  readonly resetNoteRequired: boolean
  /** Fire and robbery may never be shelved (docs/requirements.md#shelving). */
  readonly shelvable: boolean
  readonly shelvedUntil: string | null
  readonly shelvedBy: string | null
  readonly shelveReason: string | null
  /** The input chattered (≥ 3 raise/clear cycles a minute): it is suppressed until it settles. */
  readonly chattering: boolean
}
