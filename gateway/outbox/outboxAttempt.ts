import type { Clock } from '../core/clock.js'
import type { Logger } from '../log.js'
import { type BackoffOptions, backoffDelayMs } from './backoff.js'
import { type DeliveryChannel, isRetryableError, type Notification } from './notification.js'
import type { OutboxStore } from './outboxStore.js'

/**
 * One delivery attempt and what follows from its outcome: delivered, retried
 * with back-off, refused for good, or expired. The outbox decides which
 * notification goes when; this module only tries it and records the result.
 */

export type Outcome = 'delivered' | 'retry' | 'failed'

export interface AttemptOptions {
  readonly store: OutboxStore
  readonly clock: Clock
  readonly log: Logger
  readonly timeoutMs: number
  readonly backoff?: BackoffOptions | undefined
  readonly onDelivered?: ((notification: Notification) => void) | undefined
  readonly onFailed?: ((notification: Notification) => void) | undefined
}

export interface Attempts {
  attempt(channel: DeliveryChannel, notification: Notification): Promise<Outcome>
  /** Expires what is too old, except a notification whose attempt is under way. */
  expireDue(now: number): void
  /** Deliveries under way right now. */
  inFlight(): number
}

export function createAttempts(o: AttemptOptions): Attempts {
  const { store, clock, log, timeoutMs } = o
  const inFlight = new Set<string>() // notification ids

  async function attempt(channel: DeliveryChannel, notification: Notification): Promise<Outcome> {
    inFlight.add(notification.id)
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      await untilAborted(async () => channel.deliver(notification.payload, signal), signal)
    } catch (err) {
      return attemptFailed(notification, err, signal)
    } finally {
      inFlight.delete(notification.id)
    }
    const delivered = store.markDelivered(notification.id, clock.now())
    if (delivered) callHook(o.onDelivered, delivered)
    return 'delivered'
  }

  function attemptFailed(notification: Notification, err: unknown, signal: AbortSignal): Outcome {
    const { id, channel } = notification
    const attempts = notification.attempts + 1
    const error = messageOf(err)
    if (isRetryableError(err) || signal.aborted) {
      const retryAfterMs = isRetryableError(err) ? err.retryAfterMs : undefined
      const delayMs = backoffDelayMs(attempts, retryAfterMs, o.backoff)
      store.reschedule(id, clock.now() + delayMs, error)
      log.warn({ id, channel, attempts, retryInMs: delayMs, error }, 'notification not delivered, will retry')
      return 'retry'
    }
    // Permanent (e.g. HTTP 400): retrying would only repeat it, so it is logged and given up.
    log.error({ id, channel, attempts, err }, 'notification refused by its channel, not retried')
    const failed = store.markFailed(id, error, clock.now())
    if (failed) callHook(o.onFailed, failed)
    return 'failed'
  }

  function expireDue(now: number): void {
    for (const expired of store.expire(now, inFlight)) {
      const { id, channel, attempts, lastError } = expired
      log.warn({ id, channel, attempts, lastError }, 'notification expired undelivered')
      callHook(o.onFailed, expired)
    }
  }

  function callHook(hook: ((n: Notification) => void) | undefined, notification: Notification): void {
    try {
      hook?.(notification)
    } catch (err) {
      log.error({ err, id: notification.id }, 'outbox hook threw')
    }
  }

  return { attempt, expireDue, inFlight: () => inFlight.size }
}

/** Settles when `work` does, or rejects when `signal` aborts: a channel that ignores its signal cannot hang a queue. */
function untilAborted(work: () => Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    work()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : ''
  return `${err.message}${cause}`
}
