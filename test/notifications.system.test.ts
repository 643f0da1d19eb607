import { createHmac } from 'node:crypto'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'
import { startWebhookReceiver } from './support/webhookReceiver.js'

const WEBHOOK_SECRET = 'webhook-secret-9d1e'

const z2mSmoke = (smoke: boolean) =>
  JSON.stringify({ battery: 100, battery_low: false, linkquality: 87, smoke, tamper: false, voltage: 3000 })

const hmac = (data: string) => `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(data, 'utf8').digest('hex')}`

describe('notifications end to end: the built gateway posts alarms to a signed webhook', () => {
  const dir = tempDir()
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let gateway: GatewayProcess
  let z2m: MqttClient
  let bridge: MqttClient

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    // a fire route, a catch-all route that a silent robbery alarm must still never reach,
    // and the managers' route, which takes no alarm but the alarm-flood summary
    const yaml = `${testStoreConfig(dir.path)}notifications:
  enabled: true
  consoleUrl: https://console.test/
  channels:
    - { id: ops-webhook, kind: webhook, url: "${receiver.url}/hook", secret: ${WEBHOOK_SECRET} }
    - { id: managers-webhook, kind: webhook, url: "${receiver.url}/managers", secret: ${WEBHOOK_SECRET} }
  routes:
    - { kinds: [fire], channels: [ops-webhook] }
    - { channels: [ops-webhook] }
    - { kinds: [], channels: [managers-webhook], events: [alarm_flood] }
`
    gateway = await startGatewayProcess(dir.path, yaml)
    z2m = await connectClient(gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
    bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
  })
  afterAll(async () => {
    await z2m?.endAsync()
    await bridge?.endAsync()
    await gateway?.kill()
    await receiver?.close()
    dir.remove()
  })

  it('a panic button sends nothing to the webhook; a smoke reading sends exactly one signed POST for the fire alarm', async () => {
    await bridge.publishAsync(`${PREFIX}/devices/panic-counter-1/state`, JSON.stringify({ pressed: true }), { qos: 1 })
    await eventually(
      async () => {
        const r = await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.manager)
        return r.json.alarms?.some((a: { kind: string }) => a.kind === 'robbery') ? true : undefined
      },
      15_000,
      'the robbery alarm',
    )

    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', z2mSmoke(true), { qos: 1 })
    const hit = await eventually(async () => receiver.received[0], 10_000, 'the fire webhook')
    // time for anything else (a robbery notification, a duplicate) to arrive if it were going to
    await new Promise((r) => setTimeout(r, 2500))

    expect(receiver.received).toHaveLength(1)
    expect(hit.body.event).toMatchObject({
      type: 'alarm',
      action: 'raised',
      alarm: { kind: 'fire', severity: 'critical', deviceId: 'smoke-hall-1', zone: 'hall', silent: false },
    })
    expect(hit.body.message).toMatchObject({ locale: 'en', confidential: false })
    expect(hit.body.message.text).toContain('Test store')
    expect(hit.body.message.text).toContain(`https://console.test/alarms/${hit.body.event.alarm.id}`)
    expect(JSON.stringify(receiver.received)).not.toContain('robbery')

    const timestamp = String(hit.headers['x-storeguard-timestamp'])
    expect(hit.headers['x-storeguard-signature']).toBe(hmac(hit.raw))
    expect(hit.headers['x-storeguard-signature-timestamped']).toBe(hmac(`${timestamp}.${hit.raw}`))
  })

  it('ten alarms in ten minutes send one alarm-flood summary, to the managers’ route only, without the robbery', async () => {
    const send = (id: string, state: Record<string, unknown>) =>
      bridge.publishAsync(`${PREFIX}/devices/${id}/state`, JSON.stringify(state), { qos: 1 })
    // with the fire above, ten alarms staff are given (the robbery is silent: not one of them)
    await send('panic-counter-1', { battery_low: true, tamper: true })
    await send('heat-back-1', { battery_low: true, tamper: true })
    await send('leak-entrance-1', { battery_low: true, tamper: true, water_leak: true })
    await send('ups-1', { mains_ok: false })
    await send('business-system', { up: false })
    await send('terminal-1', { status: 'fault', fault_codes: 'screen' })
    await send('heat-back-1', { temperature: 70 })
    const summary = await eventually(
      async () => receiver.received.find((r) => r.path === '/managers'),
      10_000,
      'the alarm-flood summary',
    )
    // time for a duplicate, or a summary on the catch-all route, to arrive if it were going to
    await new Promise((r) => setTimeout(r, 2500))

    expect(receiver.received.filter((r) => r.path === '/managers')).toHaveLength(1)
    expect(summary.body.event).toMatchObject({ type: 'alarm_flood', action: 'started', windowSec: 600, count: 10 })
    expect(summary.body.event.byKind).not.toHaveProperty('robbery')
    expect(summary.raw).not.toContain('robbery')
    expect(summary.headers['x-storeguard-signature']).toBe(hmac(summary.raw))
    const onOps = receiver.received.filter((r) => r.path === '/hook')
    expect(onOps.length).toBeGreaterThan(1)
    expect(onOps.filter((r) => r.body.event.type === 'alarm_flood')).toEqual([])
  })
})
