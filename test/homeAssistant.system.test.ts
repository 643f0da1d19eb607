import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { discoveryProblems } from './support/haDiscoveryValidator.js'
import { connectHomeAssistant, type HomeAssistantClient } from './support/homeAssistantClient.js'
import { connectClient } from './support/mqttClient.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS } from './support/testStore.js'

const HA = 'homeassistant: { enabled: true }\n'
/** Supervised every second: silent, in the supervision rule's sense, two seconds after its last reading. */
const QUICK = '  - { id: temp-quick, type: temperature, zone: hall, heartbeatSec: 1 }\n'
const config = (id: string, component = 'binary_sensor') =>
  `homeassistant/${component}/storeguard_test-store/${id}/config`
const state = (suffix: string) => `${PREFIX}/state/${suffix}`

/** Every device of the test store that HA gets, with the entities the test checks the device class of. */
const EXPECTED: Readonly<Record<string, string>> = {
  'smoke-hall-1_smoke': 'smoke',
  'smoke-hall-2_smoke': 'smoke',
  'heat-back-1_heat_alarm': 'heat',
  'leak-entrance-1_water_leak': 'moisture',
  'business-system_up': 'connectivity',
  'terminal-1_paper_low': 'problem',
  'siren-1_on': 'sound',
  'strobe-1_on': 'light',
}
const SENSORS: Readonly<Record<string, string>> = {
  'smoke-hall-1_battery': 'battery',
  'heat-back-1_temperature': 'temperature',
  'temp-quick_temperature': 'temperature',
  'ups-1_battery_pct': 'battery',
  'water-level-1_level_cm': 'distance',
}
const DEVICES = [
  'smoke-hall-1',
  'smoke-hall-2',
  'water-level-1',
  'heat-back-1',
  'leak-entrance-1',
  'terminal-1',
  'ups-1',
  'business-system',
  'siren-1',
  'strobe-1',
  'temp-quick',
]

describe('Home Assistant discovery from the running gateway', () => {
  const dir = tempDir()
  let store: StoreUnderTest
  let ha: HomeAssistantClient
  let z2m: MqttClient

  beforeAll(async () => {
    store = await startStoreUnderTest({ dir, extraYaml: HA, extraDevices: QUICK })
    ha = await connectHomeAssistant(store.gateway.mqttUrl)
    z2m = await connectClient(store.gateway.mqttUrl, 'zigbee2mqtt', SECRETS.zigbee2mqtt)
  })
  afterAll(async () => {
    await z2m?.endAsync()
    await ha?.end()
    await store?.stop()
    dir.remove()
  })

  const announced = () =>
    eventually(
      async () => {
        const configs = ha.discovery()
        const wanted = [
          ...Object.keys(EXPECTED).map((id) => config(id)),
          ...Object.keys(SENSORS).map((id) => config(id, 'sensor')),
          ...DEVICES.flatMap((d) => [config(`${d}_fault`), config(`${d}_connectivity`)]),
        ]
        return wanted.every((t) => configs.has(t)) ? configs : undefined
      },
      15_000,
      'every device announced',
    )

  it("announces every device with the right device classes, each payload as HA's discovery schema wants it", async () => {
    const configs = await announced()
    for (const [id, deviceClass] of Object.entries(EXPECTED)) {
      expect(configs.get(config(id))?.device_class, id).toBe(deviceClass)
    }
    for (const [id, deviceClass] of Object.entries(SENSORS)) {
      expect(configs.get(config(id, 'sensor'))?.device_class, id).toBe(deviceClass)
    }
    for (const d of DEVICES) {
      expect(configs.get(config(`${d}_fault`))?.device_class).toBe('problem')
      expect(configs.get(config(`${d}_connectivity`))?.device_class).toBe('connectivity')
    }
    expect([...configs].flatMap(([topic, payload]) => discoveryProblems(topic, payload))).toEqual([])
    // one device block per physical device
    const blocks = new Map<string, Set<string>>()
    for (const payload of configs.values()) {
      const device = payload.device as { identifiers: string[] }
      const key = device.identifiers[0] ?? ''
      blocks.set(key, (blocks.get(key) ?? new Set()).add(JSON.stringify(device)))
    }
    expect([...blocks.values()].every((b) => b.size === 1)).toBe(true)
    expect([...blocks.keys()].sort()).toEqual(
      ['storeguard_test-store', ...DEVICES.map((d) => `storeguard_test-store_${d}`)].sort(),
    )
    // the panic button's readings are the silent alarm itself
    expect(JSON.stringify([...configs])).not.toMatch(/panic|robbery/)
  })

  it('shows the readings the gateway accepted, on the state topics it announced', async () => {
    await announced()
    await store.send('temp-quick', { temperature: 21.5, humidity: 40 })
    await ha.until(state('devices/temp-quick/values/temperature'), (p) => p === '21.5')
    expect(await ha.until(state('devices/temp-quick/values/humidity'), (p) => p === '40')).toBe('40')
    expect(ha.seen.some((m) => m.topic.includes('panic'))).toBe(false)
  })

  it('makes a device unavailable when zigbee2mqtt says it is offline, and when it goes silent', async () => {
    await announced()
    const availability = state('devices/smoke-hall-1/availability')
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1', JSON.stringify({ smoke: false, battery: 95 }), { qos: 1 })
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1/availability', 'offline', { qos: 1, retain: true })
    await ha.until(availability, (p) => p === 'offline')
    expect(await ha.until(state('devices/smoke-hall-1/fault'), (p) => p === 'true')).toBe('true')
    await z2m.publishAsync('zigbee2mqtt/smoke_hall_1/availability', 'online', { qos: 1, retain: true })
    await ha.until(availability, (p) => p === 'online')

    // temp-quick is due every second: supervision finds it silent without any reading
    await ha.until(state('devices/temp-quick/availability'), (p) => p === 'offline', 'temp-quick silent')
    // heard again; it may fall silent again two seconds later, so any `online` since the reading counts
    const mark = ha.seen.length
    await store.send('temp-quick', { temperature: 22 })
    await ha.since(mark, state('devices/temp-quick/availability'), (p) => p === 'online', 'temp-quick heard again')
  })

  it('counts a fire in the alarm summary, and never a silent robbery', async () => {
    await announced()
    const summaries = () =>
      ha.seen.filter((m) => m.topic === state('alarms')).map((m) => JSON.parse(m.payload) as Record<string, number>)
    // what a viewer (HA's screen is anyone's) may see: robbery is hidden from it
    const visible = async () => (await store.get('/api/alarms', SECRETS.viewer)).alarms as { kind: string }[]

    await store.send('panic-counter-1', { pressed: true })
    await store.alarmOfKind('robbery')
    await store.send('smoke-hall-2', { smoke: true })
    const withFire = await ha.until(state('alarms'), (p) => JSON.parse(p).fire === 1, 'fire counted')
    expect(JSON.parse(withFire).fire).toBe((await visible()).filter((a) => a.kind === 'fire').length)
    // no count of robbery, and no robbery hidden in a total: each total is the sum of the kinds it shows
    for (const { total, ...kinds } of summaries()) {
      expect(kinds).not.toHaveProperty('robbery')
      expect(total).toBe(Object.values(kinds).reduce((sum, n) => sum + n, 0))
    }
    expect(ha.seen.some((m) => m.payload.includes('robbery'))).toBe(false)
  })

  it('says offline when the gateway stops, and clears a device the next config leaves out', async () => {
    await announced()
    const offline = ha.until(`${PREFIX}/gateway/status`, (p) => p === 'offline', 'gateway offline')
    await store.stop()
    await offline
    await ha.end()

    // the same store and journal, without temp-quick; the embedded broker's retained store starts empty
    store = await startStoreUnderTest({ dir, extraYaml: HA })
    ha = await connectHomeAssistant(store.gateway.mqttUrl)
    await ha.born()
    await ha.until(config('temp-quick_connectivity'), (p) => p === '', 'temp-quick cleared')
    await ha.until(config('smoke-hall-1_smoke'), (p) => p !== '', 'smoke-hall-1 still announced')
    const configs = ha.discovery()
    expect([...configs.keys()].filter((t) => t.includes('temp-quick'))).toEqual([])
    expect(ha.last(config('temp-quick_temperature', 'sensor'))).toBe('')
  })
})
