import type { AlarmKind, Checklist, LocalizedText, Severity } from './alarm.js'
import type { ReadingValue } from './reading.js'

/** A rule asks for an alarm condition to be (still) present. Idempotent by `key`. */
export interface RaiseIntent {
  readonly type: 'raise'
  readonly key: string
  readonly kind: AlarmKind
  readonly severity: Severity
  readonly latching: boolean
  readonly silent: boolean
  readonly deviceId: string
  readonly zone: string
  readonly messages: LocalizedText
  readonly checklist: Checklist
}

/** A rule says the condition behind `key` is no longer present. */
export interface ClearIntent {
  readonly type: 'clear'
  readonly key: string
}

/** STYLE §1: the only intent that goes back to a wire (siren, strobe, relay). */
export interface OutputIntent {
  readonly type: 'output'
  readonly deviceId: string
  readonly metric: string
  readonly value: ReadingValue
}

export type Intent = RaiseIntent | ClearIntent | OutputIntent
