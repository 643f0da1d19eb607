/**
 * A notification channel: one way to reach people (docs/requirements.md#channels). The outbox
 * (docs/requirements.md#durable-outbox) persists a notification, then calls `deliver` until it resolves.
 *
 * Contract (a sink turns failures into a retry: docs/design.md#boundaries-never-throw):
 * - resolves: the vendor accepted the message;
 * - rejects with {@link RetryableError}: try again later (network cut, timeout,
 *   HTTP 429 / 5xx, a vendor's rate-limit code), after `retryAfterMs` if given;
 * - rejects with any other `Error` (normally {@link DeliveryRejectedError}):
 *   permanent, retrying the same payload cannot help (bad config, bad payload).
 *
 * Error messages name the channel id, never its URL, key, token or secret.
 */
export interface Channel {
  /** Config id of this channel, e.g. `security-dingtalk`. */
  readonly id: string
  readonly kind: ChannelKind
  deliver(payload: unknown, signal: AbortSignal): Promise<void>
}

export type ChannelKind = 'webhook' | 'wecom' | 'dingtalk' | 'feishu' | 'sms' | 'email'

/** What every channel factory may be given besides its config. */
export interface ChannelDeps {
  /** Milliseconds since the epoch (signature timestamps, Retry-After dates); default Date.now. */
  readonly now?: () => number
}

/** A transient failure: the outbox retries with back-off (docs/requirements.md#durable-outbox). */
export class RetryableError extends Error {
  /** The receiver asked us to wait this long (Retry-After or a vendor header), in ms. */
  readonly retryAfterMs?: number
  constructor(message: string, options?: { retryAfterMs?: number | undefined; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RetryableError'
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
  }
}

/** Why a delivery was refused for good; shown with the notification's delivery status. */
export type RejectionCode = 'http_rejected' | 'vendor_rejected' | 'payload_invalid'

/** A permanent failure: the receiver refused this payload, and would refuse it again. */
export class DeliveryRejectedError extends Error {
  readonly code: RejectionCode
  /** HTTP status of the refusal, when there was a response. */
  readonly status?: number
  /** The vendor's own error code (`errcode` / `code`), when it gave one. */
  readonly vendorCode?: number
  constructor(code: RejectionCode, message: string, details: { status?: number; vendorCode?: number } = {}) {
    super(message)
    this.name = 'DeliveryRejectedError'
    this.code = code
    if (details.status !== undefined) this.status = details.status
    if (details.vendorCode !== undefined) this.vendorCode = details.vendorCode
  }
}

export function isRetryableError(err: unknown): err is RetryableError {
  return err instanceof RetryableError
}
