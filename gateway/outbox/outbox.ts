import type { Clock } from '../core/clock.js'
import { StoreGuardError } from '../core/errors.js'
import { createRateLimitedLog, type Logger } from '../log.js'
import type { SqliteDatabase } from '../storage/database.js'
import type { BackoffOptions } from './backoff.js'
import type { DeliveryChannel, Notification, NotificationInput, NotificationStatus } from './notification.js'
import { createAttempts } from './outboxAttempt.js'
import { INVALID, nextOutboxState, type OutboxInput, type OutboxState, startsDeliveries } from './outboxStates.js'
import { createOutboxStore } from './outboxStore.js'
import { type BucketLimit, ChannelRateLimit } from './tokenBucket.js'

export interface OutboxOptions {
  /** The gateway journal (`openDatabase`); the outbox keeps its own table there. */
  readonly db: SqliteDatabase
  /** Configured channels by id. */
  readonly channels: ReadonlyMap<string, DeliveryChannel>
  /** Token buckets per channel id (see `ROBOT_RATE_LIMITS`); a channel without an entry is not limited. */
  readonly limits?: Readonly<Record<string, readonly BucketLimit[]>>
  readonly clock: Clock
  readonly log: Logger
  /** Longest one delivery attempt may take, ms; default 10 000. */
  readonly timeoutMs?: number
  /** How long a notification is retried before it expires, ms; default 86 400 000 (24 h). */
  readonly maxAgeMs?: number
  /** A delivered notification blocks the same channel + dedupKey for this long, ms; default 600 000. */
  readonly dedupWindowMs?: number
  /** How often `start()` pumps, ms; default 1 000. */
  readonly pollMs?: number
  /** Finished notifications are deleted this long after they finished, ms; default 7 days. */
  readonly retainMs?: number
  readonly backoff?: BackoffOptions
  /** Called once a notification is delivered. Errors it throws are logged, not propagated. */
  readonly onDelivered?: (notification: Notification) => void
  /** Called once a notification is refused for good (`failed`) or gives up (`expired`). */
  readonly onFailed?: (notification: Notification) => void
}

export interface OutboxStats extends Readonly<Record<NotificationStatus, number>> {
  /** Age of the oldest pending notification, ms; null when none is pending. */
  readonly oldestPendingAgeMs: number | null
  /** Deliveries under way right now (at most one per channel). */
  readonly inFlight: number
}

const PURGE_EVERY_MS = 3_600_000

/**
 * The durable outbox (docs/requirements.md#notifications, docs/requirements.md#durable-outbox): every notification is persisted
 * before it is sent and retried with exponential back-off and jitter until it
 * is delivered, refused for good, or expired. Each channel has one delivery in
 * flight at a time and sees its notifications in the order they were sent; a
 * token bucket per channel slows a burst down, never drops any of it
 * (docs/requirements.md#rate-limits-and-grouping). Delivery is at least once: an attempt that times out after the
 * far end accepted it is sent again. One attempt and its outcome are in
 * outboxAttempt.
 */
export function createOutbox(options: OutboxOptions) {
  const { channels, clock } = options
  const log = options.log.child({ mod: 'outbox' })
  const warnRarely = createRateLimitedLog(log, 60_000, () => clock.now())
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxAgeMs = options.maxAgeMs ?? 86_400_000
  const pollMs = options.pollMs ?? 1_000
  const retainMs = options.retainMs ?? 7 * 86_400_000
  const store = createOutboxStore(
    options.db,
    options.dedupWindowMs === undefined ? {} : { dedupWindowMs: options.dedupWindowMs },
  )
  const limits = new Map<string, ChannelRateLimit>()
  for (const [id, buckets] of Object.entries(options.limits ?? {})) {
    limits.set(id, new ChannelRateLimit(buckets, clock.now()))
  }
  const draining = new Set<string>() // channel ids with a delivery loop running
  const loops = new Map<string, Promise<void>>()
  let state: OutboxState = 'idle'
  // set exactly while `running`
  let timer: NodeJS.Timeout | undefined
  let lastPurgeAt = Number.NEGATIVE_INFINITY
  const { attempt, expireDue, inFlight } = createAttempts({
    store,
    clock,
    log,
    timeoutMs,
    backoff: options.backoff,
    onDelivered: options.onDelivered,
    onFailed: options.onFailed,
  })

  /** Moves the state through the table; false (and no change) for an input the state does not take. */
  function fire(input: OutboxInput): boolean {
    const to = nextOutboxState(state, input)
    if (to === INVALID) return false
    state = to
    return true
  }

  function kick(channelId: string): Promise<void> {
    if (draining.has(channelId)) return loops.get(channelId) ?? Promise.resolve()
    draining.add(channelId)
    const loop = drain(channelId).catch((err: unknown) => {
      // The notification is still pending in SQLite; the next pump tries again.
      log.error({ err, channel: channelId }, 'outbox delivery loop failed')
    })
    loops.set(channelId, loop)
    return loop
  }

  /** Delivers a channel's due notifications one by one, in order, until none is due or it must wait. */
  async function drain(channelId: string): Promise<void> {
    try {
      // Never run channel code inside `send`'s caller (an alarm transition, docs/design.md#hot-path): start on a later microtask.
      await Promise.resolve()
      const channel = channels.get(channelId)
      while (channel && startsDeliveries(state)) {
        const now = clock.now()
        const head = store.head(channelId)
        if (!head || head.nextAttemptAt > now) return
        if (head.expiresAt <= now) {
          expireDue(now)
          continue
        }
        // No token: the notification stays pending and goes when one is due (docs/requirements.md#rate-limits-and-grouping: never by dropping).
        if ((limits.get(channelId)?.tryTake(now) ?? 0) > 0) return
        if ((await attempt(channel, head)) === 'retry') return
      }
    } finally {
      draining.delete(channelId)
    }
  }

  async function pump(): Promise<void> {
    const now = clock.now()
    expireDue(now)
    if (now - lastPurgeAt >= PURGE_EVERY_MS) {
      store.purge(now - retainMs)
      lastPurgeAt = now
    }
    if (startsDeliveries(state)) {
      for (const head of store.due(now, 1_000)) {
        if (channels.has(head.channel)) void kick(head.channel)
        else {
          const data = { channel: head.channel, id: head.id }
          warnRarely(`outbox:${head.channel}`, data, 'pending notification for an unconfigured channel waits to expire')
        }
      }
    }
    await Promise.all([...draining].map((id) => loops.get(id)))
  }

  const pumpLogged = (): void => {
    pump().catch((err: unknown) => log.error({ err }, 'outbox pump failed'))
  }

  return {
    /**
     * Persists a notification (committed before anything is sent: docs/requirements.md#no-data-loss,
     * `kill -9`), then tries it at once if its channel is free. Returns its
     * id, or the id of the pending or recently delivered one it duplicates.
     * Throws `config_invalid` for a channel that is not configured, and
     * `payload_invalid` for a payload JSON cannot hold (undefined, a function).
     */
    send(input: NotificationInput): string {
      if (!channels.has(input.channel)) {
        throw new StoreGuardError('config_invalid', `notification for unknown channel "${input.channel}"`)
      }
      if (JSON.stringify(input.payload) === undefined) {
        throw new StoreGuardError('payload_invalid', `notification payload for "${input.channel}" is not JSON`)
      }
      const now = clock.now()
      const expiresAt = now + (input.maxAgeMs ?? maxAgeMs)
      const { channel, dedupKey, payload } = input
      const { notification, duplicate } = store.enqueue({ channel, dedupKey, payload, expiresAt }, now)
      if (duplicate) log.debug({ id: notification.id, channel, dedupKey }, 'duplicate notification not enqueued')
      else if (startsDeliveries(state)) void kick(channel)
      return notification.id
    },
    /** Expires what is too old and delivers what is due; resolves when no delivery is in flight. */
    pump,
    /** Pumps now (what a previous run left pending) and every `pollMs`. */
    start(): void {
      if (!fire('start')) return
      timer = setInterval(pumpLogged, pollMs)
      timer.unref()
      pumpLogged()
    },
    /** Stops pumping and waits for deliveries in flight; each ends within `timeoutMs` (its AbortSignal). */
    async stop(): Promise<void> {
      if (fire('stop')) {
        clearInterval(timer)
        timer = undefined
      }
      await Promise.all([...draining].map((id) => loops.get(id)))
    },
    stats(): OutboxStats {
      const oldest = store.oldestPendingAt()
      const oldestPendingAgeMs = oldest === null ? null : Math.max(0, clock.now() - oldest)
      return { ...store.counts(), oldestPendingAgeMs, inFlight: inFlight() }
    },
    /** One notification with its status, attempts and last error; for the API. */
    get: (id: string): Notification | undefined => store.get(id),
    /** Newest first; for the API. */
    list: (query: { status?: NotificationStatus; limit?: number } = {}): Notification[] => store.list(query),
  }
}

export type Outbox = ReturnType<typeof createOutbox>
