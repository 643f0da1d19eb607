import { StoreGuardError } from '../../gateway/core/errors.js'

/**
 * `gpio_unavailable`: no driver, no header chip, or a line that cannot be
 * claimed. Adapters turn it into a device fault (docs/design.md#boundaries-never-throw), never a crash.
 */
export function gpioUnavailable(message: string, cause?: unknown): StoreGuardError {
  return new StoreGuardError('gpio_unavailable', message, cause === undefined ? undefined : { cause })
}

/** The message of anything thrown, for a `CommStatus.detail` or a log line. */
export function errorDetail(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
