import type { ReadingValue } from '../../gateway/core/reading.js'

/**
 * Why a device message, or one field of it, was dropped; the label of
 * `storeguard_rejected_messages_total`. The README's "Rejected input" table
 * says what each means; keep the two in step.
 */
export type RejectReason =
  | 'unknown_device'
  | 'unknown_topic'
  /** A client published on a topic no device and no part of the gateway reads. */
  | 'foreign_topic'
  | 'malformed_json'
  | 'not_an_object'
  | 'oversized'
  | 'wrong_type'
  /** `null` for a metric: zigbee2mqtt's "not known yet", or a device with nothing to say. */
  | 'null_value'
  /** A number that cannot be true of the metric: not finite, a percentage over 100, … */
  | 'out_of_range'
  | 'unknown_metric'
  | 'empty'

export interface DecodedMetric {
  readonly metric: string
  readonly value: ReadingValue
}

/**
 * A field of a message that was dropped while the rest was read: a JSON
 * message is used field by field, so one bad field costs that field only.
 */
export interface InvalidField {
  readonly metric: string
  readonly reason: RejectReason
  readonly detail: string
}

export type DecodeResult =
  | { readonly ok: true; readonly metrics: readonly DecodedMetric[]; readonly invalid: readonly InvalidField[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string }

export type DecodeRejection = DecodeResult & { readonly ok: false }

export const rejected = (reason: RejectReason, detail: string): DecodeRejection => ({ ok: false, reason, detail })
