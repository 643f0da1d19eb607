import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quietApiDeps } from '../../test/support/apiServerDeps.js'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { createMetrics, registerNotificationMetrics } from '../metrics.js'
import type { Notification, NotificationStatus } from '../outbox/notification.js'
import type { OutboxStats } from '../outbox/outbox.js'
import { createApiServer } from './apiServer.js'
import { listen } from './listen.js'
import type { NotificationView } from './notificationRoutes.js'

const { tokens, users } = apiTestUsers()

const T0 = Date.parse('2026-03-01T08:00:00.000Z')
const SMS_PHONE = '+8613800000000'

function notification(id: string, status: NotificationStatus, payload: unknown, extra: Partial<Notification> = {}) {
  return {
    id,
    channel: 'ops-webhook',
    dedupKey: `alarm-${id}:raised:ops-webhook`,
    payload,
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    attempts: 0,
    nextAttemptAt: T0,
    status,
    lastError: null,
    finishedAt: null,
    ...extra,
  } satisfies Notification
}

const webhookPayload = {
  event: { type: 'alarm', action: 'raised', alarm: { id: 'alarm-1', kind: 'fire' } },
  message: { title: 'Fire alarm', confidential: false, text: 'Fire in the hall' },
}
const stored: Notification[] = [
  notification('n-3', 'pending', webhookPayload, {
    attempts: 3,
    nextAttemptAt: T0 + 8_000,
    lastError: 'webhook channel "ops-webhook": network error (ECONNREFUSED)',
  }),
  notification(
    'n-2',
    'delivered',
    { message: { title: 'Water leak', short: `to ${SMS_PHONE}` } },
    {
      channel: 'sms-duty',
      attempts: 1,
      finishedAt: T0 + 1_000,
    },
  ),
  notification(
    'n-1',
    'failed',
    { title: 'Robbery', confidential: true, markdown: '...' },
    {
      channel: 'dingtalk-security',
      attempts: 1,
      lastError: 'HTTP 400',
      finishedAt: T0 + 500,
    },
  ),
]

const outbox = {
  queries: [] as unknown[],
  stats: {
    pending: 1,
    delivered: 1,
    failed: 1,
    expired: 0,
    inFlight: 0,
    oldestPendingAgeMs: 42_500,
  } as OutboxStats,
  list(query: { status?: NotificationStatus; limit?: number } = {}) {
    this.queries.push(query)
    return stored.filter((n) => query.status === undefined || n.status === query.status).slice(0, query.limit ?? 100)
  },
}

describe('notification API on a listening server', () => {
  let app: FastifyInstance
  let base: string
  const metrics = createMetrics()

  beforeAll(async () => {
    registerNotificationMetrics(metrics.registry, { stats: () => outbox.stats })
    app = createApiServer({
      ...quietApiDeps(users),
      notifications: { list: (q) => outbox.list(q), stats: () => outbox.stats },
      metrics,
    })
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    await app.close()
  })

  const get = (path: string, bearer?: string): Promise<Response> =>
    fetch(`${base}${path}`, { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } })

  it('lists notifications to a manager only', async () => {
    expect((await get('/api/notifications')).status).toBe(401)
    expect((await get('/api/notifications', tokens.viewer)).status).toBe(403)
    expect((await get('/api/notifications', tokens.staff)).status).toBe(403)
    const res = await get('/api/notifications', tokens.manager)
    expect(res.status).toBe(200)
    const { notifications } = (await res.json()) as { notifications: NotificationView[] }
    expect(notifications.map((n) => n.id)).toEqual(['n-3', 'n-2', 'n-1'])
  })

  it('shows channel, status, attempts, last error and a summary, never the payload', async () => {
    const res = await get('/api/notifications', tokens.manager)
    const text = await res.text()
    const { notifications } = JSON.parse(text) as { notifications: NotificationView[] }
    expect(notifications[0]).toEqual({
      id: 'n-3',
      channel: 'ops-webhook',
      dedupKey: 'alarm-n-3:raised:ops-webhook',
      status: 'pending',
      attempts: 3,
      lastError: 'webhook channel "ops-webhook": network error (ECONNREFUSED)',
      createdAt: '2026-03-01T08:00:00.000Z',
      nextAttemptAt: '2026-03-01T08:00:08.000Z',
      expiresAt: '2026-03-02T08:00:00.000Z',
      finishedAt: null,
      summary: { title: 'Fire alarm', confidential: false, alarmId: 'alarm-1', kind: 'fire', action: 'raised' },
    })
    expect(notifications[1]).toMatchObject({
      status: 'delivered',
      nextAttemptAt: null,
      finishedAt: '2026-03-01T08:00:01.000Z',
      summary: { title: 'Water leak', alarmId: null },
    })
    expect(notifications[2]?.summary).toEqual({
      title: 'Robbery',
      confidential: true,
      alarmId: null,
      kind: null,
      action: null,
    })
    expect(text).not.toContain(SMS_PHONE)
    expect(text).not.toContain('Fire in the hall')
    expect(text).not.toContain('payload')
  })

  it('filters by status and limit, and refuses values it does not know', async () => {
    outbox.queries.length = 0
    const res = await get('/api/notifications?status=delivered&limit=5', tokens.manager)
    const { notifications } = (await res.json()) as { notifications: NotificationView[] }
    expect(notifications.map((n) => n.id)).toEqual(['n-2'])
    expect(outbox.queries).toEqual([{ status: 'delivered', limit: 5 }])

    for (const query of ['status=lost', 'limit=0', 'limit=1001', 'limit=ten', 'channel=x']) {
      expect((await get(`/api/notifications?${query}`, tokens.manager)).status, query).toBe(400)
    }
  })

  it('gives a viewer the counts and the age of the oldest pending notification', async () => {
    expect((await get('/api/notifications/stats')).status).toBe(401)
    const res = await get('/api/notifications/stats', tokens.viewer)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      counts: { pending: 1, delivered: 1, failed: 1, expired: 0 },
      inFlight: 0,
      oldestPendingAgeSec: 42,
    })
  })

  it('exports the outbox state as gauges read at scrape time', async () => {
    outbox.stats = { pending: 2, delivered: 7, failed: 0, expired: 1, inFlight: 1, oldestPendingAgeMs: 90_000 }
    const text = await (await get('/metrics', tokens.viewer)).text()
    expect(text).toContain('storeguard_notifications{status="pending"} 2')
    expect(text).toContain('storeguard_notifications{status="delivered"} 7')
    expect(text).toContain('storeguard_notifications{status="failed"} 0')
    expect(text).toContain('storeguard_notifications{status="expired"} 1')
    expect(text).toContain('storeguard_notifications_oldest_pending_seconds 90')

    outbox.stats = { pending: 0, delivered: 9, failed: 0, expired: 1, inFlight: 0, oldestPendingAgeMs: null }
    const later = await (await get('/metrics', tokens.viewer)).text()
    expect(later).toContain('storeguard_notifications{status="pending"} 0')
    expect(later).toContain('storeguard_notifications_oldest_pending_seconds 0')
  })
})
