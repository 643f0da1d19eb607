/**
 * The device types StoreGuard knows (docs/requirements.md#devices), plus `business_system` (a probe
 * of the store's business system, docs/requirements.md#system), the `siren` and
 * `strobe` outputs, facilities that get repair tickets (docs/requirements.md#ticketable-facilities)
 * and `complaint_button` (docs/requirements.md#escalated-complaint). User-visible, so snake_case.
 */
export const DEVICE_TYPES = [
  'smoke',
  'heat',
  'water_level',
  'leak',
  'panic_button',
  'terminal',
  'power',
  'temperature',
  'door',
  'queue',
  'business_system',
  'siren',
  'strobe',
  'printer',
  'signage_screen',
  'air_conditioner',
  'complaint_button',
] as const
export type DeviceType = (typeof DEVICE_TYPES)[number]

export type ReadingValue = number | boolean | string

/** `good` from the wire; `uncertain` when a decoder had to guess (e.g. a bare string). */
export type ReadingQuality = 'good' | 'uncertain' | 'bad'

/** One normalized observation (docs/requirements.md#reading). */
export interface Reading {
  readonly store: string
  readonly deviceId: string
  readonly deviceType: DeviceType
  readonly zone: string
  readonly metric: string
  readonly value: ReadingValue
  /** Milliseconds since the epoch, taken when the gateway received it. */
  readonly ts: number
  readonly quality: ReadingQuality
}
