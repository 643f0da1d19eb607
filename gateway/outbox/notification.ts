import type { Channel } from '../channels/channel.js'

// One class for "retry later", shared with the channels: the outbox tells retryable from permanent by `instanceof`.
export { isRetryableError, RetryableError } from '../channels/channel.js'

/**
 * `pending` until it reaches the channel (`delivered`), the channel refuses it
 * for good (`failed`), or it outlives its `expiresAt` (`expired`).
 */
export type NotificationStatus = 'pending' | 'delivered' | 'expired' | 'failed'

export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['pending', 'delivered', 'expired', 'failed']

/**
 * One message to one channel, as kept in the durable outbox (docs/requirements.md#notifications: "retries
 * with back-off from a durable outbox, so a network cut delays a notification
 * but never loses it"). Times are epoch milliseconds.
 */
export interface Notification {
  readonly id: string
  /** Id of a configured channel, e.g. `"dingtalk-duty"`. */
  readonly channel: string
  /** Same channel + same key within the dedup window → enqueued once. */
  readonly dedupKey: string
  /** Already rendered for this channel (e.g. a `RenderedMessage`); JSON, as stored. */
  readonly payload: unknown
  readonly createdAt: number
  /** Retried until this instant, then `expired`. */
  readonly expiresAt: number
  /** Delivery attempts that have ended (success or failure). */
  readonly attempts: number
  /** Not tried again before this instant (back-off, `Retry-After`). */
  readonly nextAttemptAt: number
  readonly status: NotificationStatus
  /** Message of the last failed attempt; null if none failed. */
  readonly lastError: string | null
  /** When it became delivered, failed or expired; null while pending. */
  readonly finishedAt: number | null
}

/** What a caller hands to `outbox.send`; the outbox fills in the rest. */
export interface NotificationInput {
  readonly channel: string
  readonly dedupKey: string
  /**
   * JSON-serialisable. The channel always gets it as read back from the store, so the first attempt and a
   * retry after a restart send the same thing.
   */
  readonly payload: unknown
  /** Overrides the outbox's `maxAgeMs` for this one notification. */
  readonly maxAgeMs?: number
}

/**
 * What the outbox needs of a channel: the `id` and `deliver` of
 * `gateway/channels/channel.ts`, whose contract it relies on. `deliver`
 * resolves once the far end accepted the payload; it throws `RetryableError`
 * when trying again later may work (connection refused, timeout, HTTP 429 /
 * 5xx, a vendor's rate-limit code), with `retryAfterMs` when the far end said
 * how long to wait; any other error means the payload will never be accepted
 * (HTTP 400, bad signature) and it is not retried. It should give up when
 * `signal` aborts; the outbox stops waiting then anyway.
 */
export type DeliveryChannel = Pick<Channel, 'id' | 'deliver'>
