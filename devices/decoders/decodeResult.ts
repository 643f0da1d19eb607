import type { ReadingValue } from '../../gateway/core/reading.js'

/** Why a device message was dropped; the label of `storeguard_rejected_messages_total`. */
export type RejectReason =
  | 'unknown_device'
  | 'unknown_topic'
  | 'malformed_json'
  | 'not_an_object'
  | 'oversized'
  | 'wrong_type'
  | 'unknown_metric'
  | 'empty'

export interface DecodedMetric {
  readonly metric: string
  readonly value: ReadingValue
}

export type DecodeResult =
  | { readonly ok: true; readonly metrics: readonly DecodedMetric[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string }

export const rejected = (reason: RejectReason, detail: string): DecodeResult => ({ ok: false, reason, detail })
