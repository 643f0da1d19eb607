import type { Notification, NotificationStatus } from '../outbox/notification.js'
import type { OutboxStats } from '../outbox/outbox.js'

/**
 * The durable notification outbox (docs/requirements.md#durable-outbox), read only: delivery status
 * and attempts for the API. Only http and the wiring use it, so it stays here; the domain contracts
 * the API serves are in gateway/core/ports.ts.
 */
export interface NotificationOutbox {
  /** Newest first; at most `limit` (default 100). */
  list(query?: { readonly status?: NotificationStatus; readonly limit?: number }): readonly Notification[]
  stats(): OutboxStats
}
