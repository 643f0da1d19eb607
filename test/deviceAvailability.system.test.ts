import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient } from './support/mqttClient.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

const ID = 'z2m-smoke-away'
const KEY = `device_fault:${ID}:comm`
const AVAILABILITY = `zigbee2mqtt/${ID}/availability`

describe('a zigbee2mqtt device that zigbee2mqtt reports offline, through the gateway', () => {
  let store: StoreUnderTest
  let z2m: MqttClient

  beforeAll(async () => {
    store = await startStoreUnderTest({
      extraDevices: `  - { id: ${ID}, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/${ID}, format: zigbee2mqtt } }\n`,
    })
    z2m = await connectClient(store.gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
  })
  afterAll(async () => {
    await z2m?.endAsync()
    await store?.stop()
  })

  const device = async () => (await store.get('/api/devices')).devices.find((d: { id: string }) => d.id === ID)

  it('is in device fault at once, long before a missed heartbeat would tell', async () => {
    await z2m.publishAsync(`zigbee2mqtt/${ID}`, JSON.stringify({ smoke: false, battery: 100 }), { qos: 1 })
    await z2m.publishAsync(AVAILABILITY, 'offline', { qos: 1, retain: true })
    const alarm = await store.alarmByKey(KEY)
    expect(alarm).toMatchObject({
      kind: 'device_fault',
      severity: 'minor',
      state: 'active_unacked',
      deviceId: ID,
      details: { reason: 'connection_lost' },
    })
    expect(alarm.message).toContain('zigbee2mqtt reports it offline')
    expect(await device()).toMatchObject({ status: 'fault', faults: [{ reason: 'connection_lost' }] })
  })

  it('clears when zigbee2mqtt says it is back, in its JSON form', async () => {
    await store.alarmByKey(KEY)
    await z2m.publishAsync(AVAILABILITY, JSON.stringify({ state: 'online' }), { qos: 1, retain: true })
    await store.eventsUntil('alarm', (e) => e.alarm.key === KEY && e.action === 'cleared', 1, `${KEY} cleared`)
    expect(await device()).toMatchObject({ status: 'ok', faults: [] })
  })
})
