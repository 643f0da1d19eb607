import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient, nextMessage, retainedAlarms } from './support/mqttClient.js'
import { metricValue, sample } from './support/prometheus.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

/** A zigbee2mqtt payload as an off-the-shelf Zigbee smoke detector sends it. */
const z2mSmoke = (smoke: boolean) =>
  JSON.stringify({ battery: 100, battery_low: false, linkquality: 87, smoke, tamper: false, voltage: 3000 })

describe('fire alarm end to end, through the built gateway on loopback', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let z2m: MqttClient
  let consumer: MqttClient

  beforeAll(async () => {
    gateway = await startGatewayProcess(dir.path, testStoreConfig(dir.path))
    z2m = await connectClient(gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
    consumer = await connectClient(gateway.mqttUrl, 'consumer', SECRETS.consumer)
    await consumer.subscribeAsync(`${PREFIX}/alarms/#`, { qos: 1 })
  })
  afterAll(async () => {
    await z2m?.endAsync()
    await consumer?.endAsync()
    await gateway?.kill()
    dir.remove()
  })

  const metricsText = async (): Promise<string> => {
    const r = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    expect(r.status).toBe(200)
    return r.json as string
  }
  const fireAlarms = (text: string, state: string) =>
    metricValue(text, 'storeguard_open_alarms', { kind: 'fire', state })

  it('a zigbee2mqtt smoke payload raises a retained fire alarm on MQTT and in the API, then staff ack and reset it', async () => {
    const before = await metricsText()
    const messagesBefore = metricValue(before, 'storeguard_mqtt_messages_in_total', { source: 'device' })
    const smokeReadingsBefore = metricValue(before, 'storeguard_readings_total', { type: 'smoke' })
    expect(fireAlarms(before, 'active_unacked')).toBe(0)

    const onAlarm = new Promise<{ topic: string; alarm: Record<string, unknown> }>((resolve) => {
      consumer.on('message', (topic, payload) => {
        if (topic.startsWith(`${PREFIX}/alarms/`) && payload.length > 0) {
          resolve({ topic, alarm: JSON.parse(payload.toString()) })
        }
      })
    })
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', z2mSmoke(true), { qos: 1 })
    const { topic, alarm } = await onAlarm
    expect(alarm).toMatchObject({
      kind: 'fire',
      severity: 'critical',
      state: 'active_unacked',
      latching: true,
      silent: false,
      deviceId: 'smoke-hall-1',
      zone: 'hall',
    })
    expect(topic).toBe(`${PREFIX}/alarms/${alarm.id}`)
    expect((alarm.checklist as { en: string[] }).en[0]).toContain('119')

    // a late subscriber gets it too: the alarm is retained
    const late = await connectClient(gateway.mqttUrl, 'consumer', SECRETS.consumer, { clientId: 'late-consumer' })
    expect((await retainedAlarms(late, PREFIX)).has(String(alarm.id))).toBe(true)
    await late.endAsync()

    // GET /metrics: the message in, its six readings, the alarm by kind and state, event-loop lag
    const raised = await metricsText()
    // at least the smoke payload: the siren and strobe commands the fire sends on device topics count too
    expect(metricValue(raised, 'storeguard_mqtt_messages_in_total', { source: 'device' })).toBeGreaterThan(
      messagesBefore,
    )
    expect(metricValue(raised, 'storeguard_readings_total', { type: 'smoke' })).toBe(smokeReadingsBefore + 6)
    expect(raised).toMatch(/^storeguard_open_alarms\{kind="fire",state="active_unacked"\} 1$/m)
    expect(sample(raised, 'storeguard_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)

    const listed = await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)
    expect(listed.status).toBe(200)
    expect(listed.json.alarms).toEqual([
      expect.objectContaining({ id: alarm.id, kind: 'fire', state: 'active_unacked' }),
    ])

    const viewerAck = await api(gateway.apiUrl, 'POST', `/api/alarms/${alarm.id}/ack`, SECRETS.viewer)
    expect(viewerAck.status).toBe(403)

    const acked = await api(gateway.apiUrl, 'POST', `/api/alarms/${alarm.id}/ack`, SECRETS.staff, { note: 'on my way' })
    expect(acked.status).toBe(200)
    expect(acked.json.alarm).toMatchObject({ state: 'active_acked', ackedBy: 'stan' })
    const afterAck = await metricsText()
    expect(fireAlarms(afterAck, 'active_unacked')).toBe(0)
    expect(fireAlarms(afterAck, 'active_acked')).toBe(1)

    // latching: smoke still present, so a reset is refused
    const early = await api(gateway.apiUrl, 'POST', `/api/alarms/${alarm.id}/reset`, SECRETS.staff)
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('condition_still_active')

    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', z2mSmoke(false), { qos: 1 })
    await eventually(async () => {
      const r = await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)
      return r.json.alarms[0]?.conditionActive === false ? true : undefined
    })
    const removed = nextMessage(consumer, topic, (p) => p.length === 0)
    const reset = await api(gateway.apiUrl, 'POST', `/api/alarms/${alarm.id}/reset`, SECRETS.staff, { note: 'toast' })
    expect(reset.status).toBe(200)
    expect(reset.json.alarm).toMatchObject({ state: 'closed', resetBy: 'stan' })
    await removed
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms).toEqual([])
    const afterReset = await metricsText()
    for (const state of ['active_unacked', 'active_acked', 'cleared_unacked', 'closed']) {
      expect(fireAlarms(afterReset, state), state).toBe(0)
    }
  })

  it('counts a malformed zigbee2mqtt payload in /metrics by its reason, and reads nothing from it', async () => {
    const before = await metricsText()
    const rejectedBefore = metricValue(before, 'storeguard_rejected_messages_total', { reason: 'malformed_json' })
    const messagesBefore = metricValue(before, 'storeguard_mqtt_messages_in_total', { source: 'device' })
    const readingsBefore = metricValue(before, 'storeguard_readings_total', { type: 'smoke' })
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', '{"smoke": tr', { qos: 1 })
    const after = await eventually(async () => {
      const text = await metricsText()
      return metricValue(text, 'storeguard_rejected_messages_total', { reason: 'malformed_json' }) > rejectedBefore
        ? text
        : undefined
    })
    expect(metricValue(after, 'storeguard_rejected_messages_total', { reason: 'malformed_json' })).toBe(
      rejectedBefore + 1,
    )
    expect(metricValue(after, 'storeguard_mqtt_messages_in_total', { source: 'device' })).toBe(messagesBefore + 1)
    expect(metricValue(after, 'storeguard_readings_total', { type: 'smoke' })).toBe(readingsBefore)
    expect(fireAlarms(after, 'active_unacked')).toBe(0)
  })

  it('refuses a missing or wrong token with 401', async () => {
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', null)).status).toBe(401)
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', 'not-a-token')).status).toBe(401)
    expect((await api(gateway.apiUrl, 'POST', '/api/alarms/x/ack', 'not-a-token')).status).toBe(401)
  })

  it('a device cannot publish on another device’s topic: it is cut off and the message goes nowhere', async () => {
    const smoke2 = await connectClient(gateway.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
    const closed = new Promise<void>((resolve) => smoke2.once('close', () => resolve()))
    smoke2.publish(`${PREFIX}/devices/water-level-1/state`, JSON.stringify({ level_cm: 80 }), { qos: 0 })
    await closed
    // and it is refused while its back-off lasts
    await expect(connectClient(gateway.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)).rejects.toThrow()

    const devices = await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.viewer)
    const water = devices.json.devices.find((d: { id: string }) => d.id === 'water-level-1')
    expect(water.lastSeen).toBeNull()
    const metrics = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    expect(metrics.json).toMatch(/storeguard_broker_refused_total\{reason="forbidden_publish"\} [1-9]/)
  })

  it('a device with its own login may publish its own readings', async () => {
    const water = await connectClient(gateway.mqttUrl, 'water-level-1', SECRETS.waterLevel)
    await water.publishAsync(`${PREFIX}/devices/water-level-1/level_cm`, '3.5', { qos: 1 })
    await water.endAsync()
    const seen = await eventually(async () => {
      const r = await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.viewer)
      return r.json.devices.find((d: { id: string; lastSeen: string | null }) => d.id === 'water-level-1' && d.lastSeen)
    })
    expect(seen.values.level_cm.value).toBe(3.5)
  })
})
