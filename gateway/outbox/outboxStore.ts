import { randomUUID } from 'node:crypto'
import type { SqliteDatabase } from '../storage/database.js'
import { NOTIFICATION_STATUSES, type Notification, type NotificationStatus } from './notification.js'

/** A notification about to be enqueued; times are epoch ms. */
export interface NewNotification {
  readonly channel: string
  readonly dedupKey: string
  /** Stored as `JSON.stringify(payload)`; must not be undefined or a function. */
  readonly payload: unknown
  readonly expiresAt: number
}

export interface EnqueueResult {
  readonly notification: Notification
  /** True when an identical notification was already pending or recently delivered. */
  readonly duplicate: boolean
}

export interface OutboxStoreOptions {
  /** A delivered notification blocks the same channel + dedupKey for this long, ms; default 600 000. */
  readonly dedupWindowMs?: number
}

interface Row {
  id: string
  channel: string
  dedup_key: string
  payload: string
  created_at: number
  expires_at: number
  attempts: number
  next_attempt_at: number
  status: string
  last_error: string | null
  finished_at: number | null
}

const LAST_ERROR_MAX = 500

/**
 * The durable outbox in SQLite (docs/requirements.md#notifications, docs/requirements.md#no-data-loss: notifications survive `kill -9`).
 * `enqueue` commits before the caller sends anything; with the journal's
 * `synchronous = FULL` the row is on disk when it returns. `seq` keeps the
 * order notifications were enqueued in, per channel, across restarts.
 */
export function createOutboxStore(db: SqliteDatabase, options: OutboxStoreOptions = {}) {
  const dedupWindowMs = options.dedupWindowMs ?? 600_000
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const insert = db.prepare<[Row], Row>(
    `INSERT INTO outbox (id, channel, dedup_key, payload, created_at, expires_at, attempts, next_attempt_at, status,
       last_error, finished_at)
     VALUES (@id, @channel, @dedup_key, @payload, @created_at, @expires_at, @attempts, @next_attempt_at, @status,
       @last_error, @finished_at)
     RETURNING *`,
  )
  const selectDuplicate = db.prepare<{ channel: string; dedupKey: string; since: number }, Row>(
    `SELECT * FROM outbox WHERE channel = @channel AND dedup_key = @dedupKey
       AND (status = 'pending' OR (status = 'delivered' AND finished_at >= @since))
     ORDER BY seq DESC LIMIT 1`,
  )
  const selectById = db.prepare<[string], Row>('SELECT * FROM outbox WHERE id = ?')
  const selectHead = db.prepare<[string], Row>(
    `SELECT * FROM outbox WHERE status = 'pending' AND channel = ? ORDER BY seq LIMIT 1`,
  )
  // The head of each channel's queue, if due: later ones wait behind it, so a channel sees its messages in order.
  const selectDue = db.prepare<[number, number], Row>(
    `SELECT o.* FROM outbox o
     JOIN (SELECT MIN(seq) AS seq FROM outbox WHERE status = 'pending' GROUP BY channel) head ON o.seq = head.seq
     WHERE o.next_attempt_at <= ? ORDER BY o.seq LIMIT ?`,
  )
  const setDelivered = db.prepare<{ id: string; now: number }, Row>(
    `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, finished_at = @now
     WHERE id = @id AND status = 'pending' RETURNING *`,
  )
  const setRescheduled = db.prepare<{ id: string; nextAttemptAt: number; error: string }, Row>(
    `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_error = @error
     WHERE id = @id AND status = 'pending' RETURNING *`,
  )
  const setFailed = db.prepare<{ id: string; now: number; error: string }, Row>(
    `UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = @error, finished_at = @now
     WHERE id = @id AND status = 'pending' RETURNING *`,
  )
  const selectExpiring = db.prepare<[number], Row>(
    `SELECT * FROM outbox WHERE status = 'pending' AND expires_at <= ? ORDER BY seq`,
  )
  const setExpired = db.prepare<{ id: string; now: number }, Row>(
    `UPDATE outbox SET status = 'expired', finished_at = @now WHERE id = @id AND status = 'pending' RETURNING *`,
  )
  const selectCounts = db.prepare<[], { status: string; n: number }>(
    'SELECT status, COUNT(*) AS n FROM outbox GROUP BY status',
  )
  const selectOldestPending = db.prepare<[], { createdAt: number | null }>(
    `SELECT MIN(created_at) AS createdAt FROM outbox WHERE status = 'pending'`,
  )
  const selectRecent = db.prepare<[number], Row>('SELECT * FROM outbox ORDER BY seq DESC LIMIT ?')
  const selectRecentByStatus = db.prepare<[string, number], Row>(
    'SELECT * FROM outbox WHERE status = ? ORDER BY seq DESC LIMIT ?',
  )
  const deleteFinished = db.prepare<[number]>(`DELETE FROM outbox WHERE status <> 'pending' AND finished_at < ?`)

  const enqueue = db.transaction((input: NewNotification, now: number): EnqueueResult => {
    const since = now - dedupWindowMs
    const existing = selectDuplicate.get({ channel: input.channel, dedupKey: input.dedupKey, since })
    if (existing) return { notification: fromRow(existing), duplicate: true }
    const row = insert.get({
      id: randomUUID(),
      channel: input.channel,
      dedup_key: input.dedupKey,
      payload: JSON.stringify(input.payload),
      created_at: now,
      expires_at: input.expiresAt,
      attempts: 0,
      next_attempt_at: now,
      status: 'pending',
      last_error: null,
      finished_at: null,
    })
    return { notification: fromRow(mustExist(row)), duplicate: false }
  })
  const expire = db.transaction((now: number, except: ReadonlySet<string>): Notification[] => {
    const expired: Notification[] = []
    for (const row of selectExpiring.all(now)) {
      if (except.has(row.id)) continue
      const updated = setExpired.get({ id: row.id, now })
      if (updated) expired.push(fromRow(updated))
    }
    return expired
  })
  const optional = (row: Row | undefined): Notification | undefined => (row ? fromRow(row) : undefined)

  return {
    /** Persists a new pending notification, due at once; or returns the pending/recent one it duplicates. */
    enqueue: (input: NewNotification, now: number): EnqueueResult => enqueue(input, now),
    get: (id: string): Notification | undefined => optional(selectById.get(id)),
    /** The oldest pending notification of `channel`, due or not. */
    head: (channel: string): Notification | undefined => optional(selectHead.get(channel)),
    /** Each channel's oldest pending notification, if due at `now`; oldest first. */
    due: (now: number, limit: number): Notification[] => selectDue.all(now, limit).map(fromRow),
    /** Undefined if it was no longer pending. */
    markDelivered: (id: string, now: number): Notification | undefined => optional(setDelivered.get({ id, now })),
    /** Counts a failed attempt and holds the notification until `nextAttemptAt`. */
    reschedule: (id: string, nextAttemptAt: number, error: string): Notification | undefined =>
      optional(setRescheduled.get({ id, nextAttemptAt, error: clip(error) })),
    markFailed: (id: string, error: string, now: number): Notification | undefined =>
      optional(setFailed.get({ id, now, error: clip(error) })),
    /** Expires every pending notification past its `expiresAt`, except those in `except` (in flight). */
    expire: (now: number, except: ReadonlySet<string> = new Set()): Notification[] => expire(now, except),
    counts(): Record<NotificationStatus, number> {
      const counts: Record<NotificationStatus, number> = { pending: 0, delivered: 0, expired: 0, failed: 0 }
      for (const { status, n } of selectCounts.all()) if (isStatus(status)) counts[status] = n
      return counts
    },
    /** `createdAt` of the oldest pending notification; null when none is pending. */
    oldestPendingAt: (): number | null => selectOldestPending.get()?.createdAt ?? null,
    /** Newest first, for the API: status, attempts and last error of each. */
    list: (query: { status?: NotificationStatus; limit?: number } = {}): Notification[] => {
      const limit = query.limit ?? 100
      const rows = query.status ? selectRecentByStatus.all(query.status, limit) : selectRecent.all(limit)
      return rows.map(fromRow)
    },
    /** Deletes delivered, failed and expired notifications that finished before `before`; returns how many. */
    purge: (before: number): number => deleteFinished.run(before).changes,
  }
}

export type OutboxStore = ReturnType<typeof createOutboxStore>

function fromRow(row: Row): Notification {
  return {
    id: row.id,
    channel: row.channel,
    dedupKey: row.dedup_key,
    payload: JSON.parse(row.payload) as unknown,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    status: row.status as NotificationStatus,
    lastError: row.last_error,
    finishedAt: row.finished_at,
  }
}

function isStatus(value: string): value is NotificationStatus {
  return (NOTIFICATION_STATUSES as readonly string[]).includes(value)
}

function clip(error: string): string {
  return error.length > LAST_ERROR_MAX ? `${error.slice(0, LAST_ERROR_MAX - 1)}…` : error
}

function mustExist(row: Row | undefined): Row {
  if (!row) throw new Error('outbox insert returned no row')
  return row
}
