/** Why a device cannot be read (docs/requirements.md#supervision: "trouble", separate from the emergency it watches for). */
export type CommFaultReason =
  | 'modbus_timeout'
  | 'modbus_exception'
  | 'modbus_crc'
  | 'connection_lost'
  | 'connection_refused'
  | 'gpio_unavailable'
  | 'write_failed'

export interface CommStatus {
  readonly ok: boolean
  /** null when ok. */
  readonly reason: CommFaultReason | null
  readonly detail: string
}
