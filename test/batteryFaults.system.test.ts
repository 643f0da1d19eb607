import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { connectClient } from './support/mqttClient.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

/**
 * Each way a zigbee2mqtt sensor tells its battery, as the device's full
 * payload when the battery is low and when it is back. `said` is what the
 * alarm message then quotes.
 */
const FORMS = [
  {
    form: 'battery',
    low: { battery: 9, linkquality: 96, tamper: false },
    back: { battery: 100, linkquality: 96, tamper: false },
    said: '9 %',
  },
  {
    form: 'battery_low',
    low: { battery_low: true, linkquality: 96, tamper: false },
    back: { battery_low: false, linkquality: 96, tamper: false },
    said: 'reports its battery low',
  },
  {
    // Tuya devices: no charge, no flag, only a state, capitalised as the firmware likes
    form: 'battery_state',
    low: { battery_state: 'LOW', linkquality: 96, tamper: false },
    back: { battery_state: 'medium', linkquality: 96, tamper: false },
    said: 'battery state LOW',
  },
  {
    // Xiaomi/Aqara devices: the cell voltage, in mV, under the type's threshold
    form: 'voltage',
    low: { voltage: 2380, linkquality: 96, tamper: false },
    back: { voltage: 3010, linkquality: 96, tamper: false },
    said: '2380 mV',
  },
] as const

const TYPES = [
  { type: 'smoke', zone: 'hall', idle: { smoke: false } },
  { type: 'leak', zone: 'backroom', idle: { water_leak: false } },
  { type: 'panic_button', zone: 'counter', idle: { action: '' } },
] as const

/** One zigbee2mqtt device per type and battery form, so each fault is raised and cleared once. */
const CASES = TYPES.flatMap((t) =>
  FORMS.map((f) => ({ ...t, ...f, id: `z2m-${t.type.replace('_', '-')}-${f.form.replace('_', '-')}` })),
)

const deviceYaml = (id: string, type: string, zone: string, extra = '') =>
  `  - { id: ${id}, type: ${type}, zone: ${zone}, mqtt: { topic: zigbee2mqtt/${id}, format: zigbee2mqtt }${extra} }\n`

describe('low batteries of zigbee2mqtt sensors, in every form, through the gateway', () => {
  let store: StoreUnderTest
  let z2m: MqttClient
  const publish = (id: string, payload: object) =>
    z2m.publishAsync(`zigbee2mqtt/${id}`, JSON.stringify(payload), { qos: 1 })

  beforeAll(async () => {
    store = await startStoreUnderTest({
      extraDevices:
        CASES.map((c) => deviceYaml(c.id, c.type, c.zone)).join('') +
        deviceYaml('z2m-smoke-9v', 'smoke', 'hall', ', lowBatteryMv: 7500'),
    })
    z2m = await connectClient(store.gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
  })
  afterAll(async () => {
    await z2m?.endAsync()
    await store?.stop()
  })

  /** The device as `GET /api/devices` shows it to `token`'s role (a viewer by default). */
  const deviceAs = async (id: string, token?: string) =>
    (await store.get('/api/devices', token)).devices.find((d: { id: string }) => d.id === id)
  /** As whoever may see its faults: a panic button's are silent, shown to managers only. */
  const deviceInApi = (id: string) => deviceAs(id, id.includes('panic') ? SECRETS.manager : undefined)

  it.each(CASES)('a $type reporting $form low raises a battery fault on MQTT and the API', async (c) => {
    await publish(c.id, { ...c.idle, ...c.low })
    const alarm = await store.alarmByKey(`device_fault:${c.id}:battery`)
    expect(alarm).toMatchObject({
      kind: 'device_fault',
      severity: 'minor',
      state: 'active_unacked',
      latching: false,
      silent: c.type === 'panic_button',
      deviceId: c.id,
      zone: c.zone,
      details: { fault: 'battery', form: c.form },
    })
    expect(alarm.message).toContain(c.said)
    expect(store.retainedAlarm(alarm.id)).toMatchObject({ details: alarm.details, message: alarm.message })
    const device = await deviceInApi(c.id)
    expect(device).toMatchObject({ status: 'fault', faults: [{ reason: 'battery' }] })
    // a panic button's trouble must not tell a robber at the counter, over a clerk's shoulder, where it is
    if (c.type === 'panic_button')
      expect(await deviceAs(c.id, SECRETS.staff)).toMatchObject({ status: 'ok', faults: [] })
  })

  it.each(CASES)('the $type battery fault raised by $form clears when the battery is back', async (c) => {
    const key = `device_fault:${c.id}:battery`
    await store.alarmByKey(key)
    await publish(c.id, { ...c.idle, ...c.back })
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.key === key && a.state === 'cleared_unacked' && !a.conditionActive),
      5000,
      `${key} cleared`,
    )
    const cleared = await store.alarmByKey(key)
    expect(store.retainedAlarm(cleared.id)).toMatchObject({ state: 'cleared_unacked', conditionActive: false })
    await store.eventsUntil('alarm', (e) => e.alarm.key === key && e.action === 'cleared', 1, `${key} cleared event`)
    expect(await deviceInApi(c.id)).toMatchObject({ status: 'ok', faults: [] })
  })

  it('a 9 V smoke alarm configured with its own threshold is fine at 9.1 V and low at 7.4 V', async () => {
    const key = 'device_fault:z2m-smoke-9v:battery'
    await publish('z2m-smoke-9v', { smoke: false, voltage: 9100, linkquality: 80 })
    await eventually(
      async () => ((await deviceInApi('z2m-smoke-9v'))?.values.voltage?.value === 9100 ? true : undefined),
      5000,
      'the 9.1 V reading in the API',
    )
    expect((await store.get('/api/alarms')).alarms.map((a: { key: string }) => a.key)).not.toContain(key)
    await publish('z2m-smoke-9v', { smoke: false, voltage: 7400, linkquality: 80 })
    const alarm = await store.alarmByKey(key)
    expect(alarm.details).toMatchObject({ form: 'voltage', value: 7400, threshold: 7500 })
    expect(alarm.message).toContain('7400 mV')
  })
})
