import type { AlarmDetails, AlarmKind, Checklist, LocalizedText, Severity } from './alarm.js'
import type { NoticeAudience } from './notice.js'
import type { Role } from './roles.js'

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
  readonly details?: AlarmDetails
  /** Default: staff may reset, no note needed. */
  readonly resetPolicy?: { readonly role: Role; readonly noteRequired: boolean }
  /** Default true; fire and robbery say false. */
  readonly shelvable?: boolean
}

/** A rule says the condition behind `key` is no longer present. */
export interface ClearIntent {
  readonly type: 'clear'
  readonly key: string
}

/** Raise the escalation level of an open alarm (confirmed fire; 5 / 30 min reminders, the service standard §5.3.3, docs/requirements.md#system). */
export interface EscalateIntent {
  readonly type: 'escalate'
  readonly key: string
  readonly level: number
  readonly messages: LocalizedText
  readonly details?: AlarmDetails
}

/** Post (or update) a notice for customers or staff; idempotent by `key`. */
export interface NoticeIntent {
  readonly type: 'notice'
  readonly key: string
  readonly audience: NoticeAudience
  readonly zone: string | null
  readonly deviceId: string | null
  readonly texts: LocalizedText
  /** Milliseconds since the epoch; null: until withdrawn. */
  readonly endsAt: number | null
  /** Safety guidance that signage shows alone, full screen (docs/requirements.md#emergency-notice). */
  readonly emergency?: true
  /** The centre's estimate the texts give (docs/requirements.md#network-fault), ms; kept with the notice. */
  readonly expectedRecoveryAt?: number
}

export interface WithdrawNoticeIntent {
  readonly type: 'withdraw_notice'
  readonly key: string
}

/** docs/requirements.md#repair-tickets: a terminal fault episode asks for one repair ticket; the ticket service consumes it. */
export interface TicketRequestIntent {
  readonly type: 'ticket_request'
  readonly deviceId: string
  readonly alarmKey: string
  readonly faultCodes: readonly string[]
  readonly reason: LocalizedText
}

export type Intent =
  | RaiseIntent
  | ClearIntent
  | EscalateIntent
  | NoticeIntent
  | WithdrawNoticeIntent
  | TicketRequestIntent
