import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type Receiver, startReceiver } from '../gateway/outbox/testing/jsonReceiver.js'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, testStoreConfig } from './support/testStore.js'

const z2mSmoke = JSON.stringify({ battery: 100, battery_low: false, linkquality: 87, smoke: true, tamper: false })

/** The test store with one webhook channel that gets fire alarms. */
const configWithWebhook = (dataDir: string, url: string) => `${testStoreConfig(dataDir)}notifications:
  enabled: true
  channels:
    - { id: ops-webhook, kind: webhook, url: "${url}", secret: outbox-test-secret, timeoutMs: 2000 }
  routes:
    - { kinds: [fire], channels: [ops-webhook] }
`

interface Listed {
  readonly id: string
  readonly channel: string
  readonly status: string
  readonly attempts: number
  readonly lastError: string | null
  readonly summary: { readonly kind: string | null; readonly action: string | null }
}

async function listNotifications(gateway: GatewayProcess, query = ''): Promise<Listed[]> {
  const res = await api(gateway.apiUrl, 'GET', `/api/notifications${query}`, SECRETS.manager)
  expect(res.status).toBe(200)
  return res.json.notifications as Listed[]
}

async function raiseFire(gateway: GatewayProcess): Promise<void> {
  const z2m: MqttClient = await connectClient(gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
  try {
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', z2mSmoke, { qos: 1 })
  } finally {
    await z2m.endAsync()
  }
}

/** Time for a duplicate to arrive, if one were going to. */
const settle = () => new Promise((r) => setTimeout(r, 2500))

describe('the durable outbox on the built gateway', () => {
  const dirs: { remove: () => void }[] = []
  const receivers: Receiver[] = []
  let gateway: GatewayProcess | undefined

  afterEach(async () => {
    await gateway?.kill('SIGKILL')
    gateway = undefined
    for (const r of receivers.splice(0)) await r.down().catch(() => undefined)
  })
  afterAll(() => {
    for (const d of dirs) d.remove()
  })

  it('keeps a fire notification through a receiver outage and a SIGKILL, and delivers it once after restart', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const receiver = await startReceiver()
    receivers.push(receiver)
    await receiver.down()
    const yaml = configWithWebhook(dir.path, `${receiver.url}/hook`)

    gateway = await startGatewayProcess(dir.path, yaml)
    await raiseFire(gateway)
    const pending = await eventually(
      async () => (await listNotifications(gateway as GatewayProcess, '?status=pending')).find((n) => n.attempts >= 1),
      15_000,
      'a pending notification with a failed attempt',
    )
    expect(pending).toMatchObject({ channel: 'ops-webhook', status: 'pending', summary: { kind: 'fire' } })
    expect(pending.lastError).toMatch(/ECONNREFUSED|network|unreachable/i)
    const stats = await api(gateway.apiUrl, 'GET', '/api/notifications/stats', SECRETS.viewer)
    expect(stats.json.counts).toMatchObject({ pending: 1, delivered: 0 })
    expect(stats.json.oldestPendingAgeSec).toBeGreaterThanOrEqual(0)
    const metrics = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    expect(metrics.json).toContain('storeguard_notifications{status="pending"} 1')

    // killed mid-retry: nothing in memory survives, only what the outbox committed
    await gateway.kill('SIGKILL')
    await receiver.up()
    expect(receiver.hits).toHaveLength(0)

    gateway = await startGatewayProcess(dir.path, yaml)
    const hit = await eventually(async () => receiver.accepted[0], 20_000, 'the fire notification after restart')
    await settle()

    expect(receiver.accepted).toHaveLength(1)
    expect(receiver.hits).toHaveLength(1)
    expect(hit.path).toBe('/hook')
    expect(hit.body).toMatchObject({ event: { type: 'alarm', action: 'raised', alarm: { kind: 'fire' } } })

    const [delivered] = await listNotifications(gateway)
    expect(delivered).toMatchObject({ id: pending.id, status: 'delivered', summary: { kind: 'fire' } })
    expect(delivered?.attempts).toBeGreaterThan(pending.attempts)
    expect(await listNotifications(gateway, '?status=pending')).toEqual([])
    const after = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    expect(after.json).toContain('storeguard_notifications{status="delivered"} 1')
    expect(after.json).toContain('storeguard_notifications{status="pending"} 0')
    expect(after.json).toContain('storeguard_notifications_oldest_pending_seconds 0')
  }, 60_000)

  it('slows down on 429 with Retry-After and delivers the notification later, once', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const receiver = await startReceiver()
    receivers.push(receiver)
    const hitAt: number[] = []
    receiver.reply = (_body, hit) => {
      hitAt.push(Date.now())
      return hit === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } }
        : { status: 200, body: { errcode: 0 } }
    }

    gateway = await startGatewayProcess(dir.path, configWithWebhook(dir.path, `${receiver.url}/hook`))
    await raiseFire(gateway)
    await eventually(async () => receiver.accepted[0], 15_000, 'the fire notification after the 429')
    await settle()

    expect(receiver.hits).toHaveLength(2)
    expect(receiver.accepted).toHaveLength(1)
    expect(receiver.accepted[0]?.body).toMatchObject({ event: { alarm: { kind: 'fire' } } })
    // Retry-After: 1 was honoured
    expect((hitAt[1] ?? 0) - (hitAt[0] ?? 0)).toBeGreaterThanOrEqual(950)

    const listed = await listNotifications(gateway)
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ status: 'delivered', attempts: 2 })
    expect(listed[0]?.lastError).toContain('429')
  }, 60_000)
})
