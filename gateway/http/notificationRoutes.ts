import type { FastifyInstance } from 'fastify'
import { NOTIFICATION_STATUSES, type Notification, type NotificationStatus } from '../outbox/notification.js'
import type { ApiGuard } from './apiGuard.js'
import type { NotificationOutbox } from './apiPorts.js'

const listQuery = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...NOTIFICATION_STATUSES] },
    // strings: the server does not coerce query values (coerceTypes: false)
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$|^1000$' },
  },
  additionalProperties: false,
} as const

/** What the API shows of a notification's payload: enough to tell which message it is, never the whole of it. */
export interface NotificationSummary {
  /** The message title as rendered for people, if the payload has one. */
  readonly title: string | null
  /** Robbery (docs/requirements.md#robbery): a silent alarm's message. */
  readonly confidential: boolean
  /** The alarm the notification is about, when the payload carries the event (webhook channels). */
  readonly alarmId: string | null
  readonly kind: string | null
  readonly action: string | null
}

/** One outbox notification as the API shows it: delivery state, no payload (it may quote people's numbers). */
export interface NotificationView {
  readonly id: string
  readonly channel: string
  readonly dedupKey: string
  readonly status: NotificationStatus
  readonly attempts: number
  readonly lastError: string | null
  readonly createdAt: string
  /** When the next attempt is due; null once it is no longer pending. */
  readonly nextAttemptAt: string | null
  readonly expiresAt: string
  readonly finishedAt: string | null
  readonly summary: NotificationSummary
}

export interface NotificationRoutesDeps {
  readonly outbox: NotificationOutbox
  readonly guard: ApiGuard
}

/**
 * docs/requirements.md#durable-outbox, delivery status visible in the API: `GET /api/notifications`
 * (`?status=`, `?limit=`) for a manager, since titles can name a silent
 * alarm; `GET /api/notifications/stats` (counts, oldest pending age) for viewers.
 */
export function registerNotificationRoutes(app: FastifyInstance, deps: NotificationRoutesDeps): void {
  const { outbox, guard } = deps

  app.get<{ Querystring: { status?: NotificationStatus; limit?: string } }>(
    '/api/notifications',
    { onRequest: guard.require('manager'), schema: { querystring: listQuery } },
    async (request) => {
      const { status, limit } = request.query
      const listed = outbox.list({
        ...(status !== undefined ? { status } : {}),
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      })
      return { notifications: listed.map(toView) }
    },
  )

  app.get('/api/notifications/stats', { onRequest: guard.require('viewer') }, async () => {
    const { pending, delivered, failed, expired, inFlight, oldestPendingAgeMs } = outbox.stats()
    return {
      counts: { pending, delivered, failed, expired },
      inFlight,
      oldestPendingAgeSec: oldestPendingAgeMs === null ? null : Math.floor(oldestPendingAgeMs / 1000),
    }
  })
}

export function toView(n: Notification): NotificationView {
  return {
    id: n.id,
    channel: n.channel,
    dedupKey: n.dedupKey,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: iso(n.createdAt),
    nextAttemptAt: n.status === 'pending' ? iso(n.nextAttemptAt) : null,
    expiresAt: iso(n.expiresAt),
    finishedAt: n.finishedAt === null ? null : iso(n.finishedAt),
    summary: summarise(n.payload),
  }
}

/**
 * Payloads differ by channel: a webhook gets `{ event, message }`, SMS
 * `{ message }`, robots the rendered message itself. Only the title and the
 * event's identity are read out; anything else in the payload stays in the outbox.
 */
export function summarise(payload: unknown): NotificationSummary {
  const root = record(payload)
  const message = record(root?.message) ?? root
  const event = record(root?.event)
  const alarm = record(event?.alarm)
  return {
    title: text(message?.title),
    confidential: message?.confidential === true,
    alarmId: text(alarm?.id),
    kind: text(alarm?.kind),
    action: text(event?.action),
  }
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
