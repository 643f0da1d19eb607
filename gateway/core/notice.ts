import type { LocalizedText } from './alarm.js'

export type NoticeAudience = 'customer' | 'staff'

/** A message for customers (signage) or staff, with a start and an end (docs/requirements.md#notices). */
export interface Notice {
  readonly id: string
  /** The situation it is about: a repeat with the same key updates this notice. */
  readonly key: string
  readonly audience: NoticeAudience
  readonly zone: string | null
  readonly deviceId: string | null
  /** In the store's locale; `texts` has both languages. */
  readonly text: string
  readonly texts: LocalizedText
  /** ISO 8601. */
  readonly startsAt: string
  readonly endsAt: string | null
  readonly updatedAt: string
  /** False once withdrawn or past `endsAt`; the retained MQTT copy is then removed. */
  readonly active: boolean
  /**
   * Evacuation or safety guidance during a fire, a closing flood or a power cut
   * (docs/requirements.md#emergency-notice): signage shows it alone, full screen. Absent on
   * ordinary notices, and on notices saved before the flag existed.
   */
  readonly emergency?: true
  /**
   * ISO 8601: when the fault it is about should be over, as the centre estimated it
   * (docs/requirements.md#network-fault); absent when no estimate is known.
   */
  readonly expectedRecoveryAt?: string
  /** The person who posted it through the API; absent on a rule's notice, which only its rule withdraws. */
  readonly postedBy?: string
}
