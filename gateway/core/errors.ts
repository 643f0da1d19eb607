/** Stable, machine-readable error codes; tests assert on these, not on text. */
export type ErrorCode =
  | 'config_invalid'
  | 'config_unreadable'
  | 'alarm_not_found'
  | 'alarm_transition_invalid'
  | 'condition_still_active'
  | 'note_required'
  | 'shelve_not_allowed'
  | 'notice_not_found'
  | 'notice_not_withdrawable'
  | 'too_many_notices'
  | 'ticket_not_found'
  | 'ticket_transition_invalid'
  | 'network_fault_not_found'
  | 'gpio_unavailable'
  | 'payload_invalid'
  | 'broker_unavailable'
  | 'unauthorized'
  | 'forbidden'
  | 'demo_reset_refused'
  | 'backup_failed'
  | 'backup_invalid'
  | 'restore_refused'
  | 'rule_disabled'
  | 'rule_failed'

export class StoreGuardError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = 'StoreGuardError'
  }
}

export function isStoreGuardError(err: unknown, code?: ErrorCode): err is StoreGuardError {
  return err instanceof StoreGuardError && (code === undefined || err.code === code)
}
