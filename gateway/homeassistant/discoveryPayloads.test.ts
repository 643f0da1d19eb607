import { describe, expect, it } from 'vitest'
import { discoveryProblems } from '../../test/support/haDiscoveryValidator.js'
import { DEVICE_TYPES } from '../core/reading.js'
import { type DiscoverySetup, discoveryMessages } from './discoveryPayloads.js'

const PREFIX = 'storeguard/s1'

/** A store with one device of every type, so every entity the catalog can make is checked. */
function setup(over: Partial<DiscoverySetup> = {}): DiscoverySetup {
  return {
    discoveryPrefix: 'homeassistant',
    topicPrefix: PREFIX,
    store: { id: 's1', name: 'Store one', locale: 'en' },
    devices: DEVICE_TYPES.map((type) => ({ id: `${type.replace(/_/g, '-')}-1`, type, zone: 'hall' })),
    zoneNames: { hall: { 'zh-CN': '营业厅', en: 'Sales hall' } },
    swVersion: '1.2.3',
    ...over,
  }
}

const byUniqueId = (messages: ReturnType<typeof discoveryMessages>) =>
  new Map(messages.map((m) => [m.payload.unique_id as string, m]))

describe('Home Assistant discovery payloads', () => {
  it('are every one valid against HA discovery schema', () => {
    const messages = discoveryMessages(setup())
    expect(messages.length).toBeGreaterThan(50)
    expect(messages.flatMap((m) => discoveryProblems(m.topic, m.payload))).toEqual([])
  })

  it('give each reading the device class HA knows it by', () => {
    const ids = byUniqueId(discoveryMessages(setup()))
    const classOf = (id: string) => ids.get(`storeguard_s1_${id}`)?.payload.device_class
    expect(classOf('smoke-1_smoke')).toBe('smoke')
    expect(classOf('leak-1_water_leak')).toBe('moisture')
    expect(classOf('smoke-1_battery')).toBe('battery')
    expect(classOf('temperature-1_temperature')).toBe('temperature')
    expect(classOf('terminal-1_paper_low')).toBe('problem')
    expect(classOf('business-system-1_up')).toBe('connectivity')
    expect(classOf('smoke-1_fault')).toBe('problem')
    expect(classOf('smoke-1_connectivity')).toBe('connectivity')
    expect(ids.get('storeguard_s1_smoke-1_smoke')?.topic).toBe(
      'homeassistant/binary_sensor/storeguard_s1/smoke-1_smoke/config',
    )
    expect(ids.get('storeguard_s1_temperature-1_temperature')?.payload).toMatchObject({
      unit_of_measurement: '°C',
      state_class: 'measurement',
      state_topic: `${PREFIX}/state/devices/temperature-1/values/temperature`,
    })
  })

  it('make a reading unavailable when the gateway or the device is, but its health only with the gateway', () => {
    const ids = byUniqueId(discoveryMessages(setup()))
    const gateway = { topic: `${PREFIX}/gateway/status`, payload_available: 'online', payload_not_available: 'offline' }
    expect(ids.get('storeguard_s1_smoke-1_smoke')?.payload).toMatchObject({
      availability: [gateway, { ...gateway, topic: `${PREFIX}/state/devices/smoke-1/availability` }],
      availability_mode: 'all',
    })
    expect(ids.get('storeguard_s1_smoke-1_connectivity')?.payload.availability).toEqual([gateway])
  })

  it('put each physical device in one device block, under the gateway, in its zone', () => {
    const messages = discoveryMessages(setup()).filter((m) => m.topic.includes('/smoke-1_'))
    const devices = new Set(messages.map((m) => JSON.stringify(m.payload.device)))
    expect(devices.size).toBe(1)
    expect(messages[0]?.payload.device).toEqual({
      identifiers: ['storeguard_s1_smoke-1'],
      name: 'smoke-1',
      manufacturer: 'StoreGuard',
      model: 'smoke',
      suggested_area: 'Sales hall',
      via_device: 'storeguard_s1',
    })
  })

  it('count open alarms of every kind but robbery, which has no entity at all', () => {
    const text = JSON.stringify(discoveryMessages(setup()))
    const counts = discoveryMessages(setup()).filter((m) => m.payload.state_topic === `${PREFIX}/state/alarms`)
    expect(counts.map((m) => m.payload.value_template)).toContain('{{ value_json.fire }}')
    expect(counts.map((m) => m.payload.value_template)).toContain('{{ value_json.total }}')
    expect(text).not.toMatch(/robbery/i)
  })

  it('announce nothing of a panic button: its readings are the silent alarm itself', () => {
    const text = JSON.stringify(discoveryMessages(setup()))
    expect(text).not.toContain('panic')
  })

  it('name a door open when zigbee2mqtt says its contact is false', () => {
    const door = byUniqueId(discoveryMessages(setup())).get('storeguard_s1_door-1_contact')
    expect(door?.payload).toMatchObject({ device_class: 'door', payload_on: 'false', payload_off: 'true' })
  })

  it('have unique ids and topics that stay the same from one build to the next', () => {
    const first = discoveryMessages(setup())
    expect(new Set(first.map((m) => m.payload.unique_id)).size).toBe(first.length)
    expect(new Set(first.map((m) => m.topic)).size).toBe(first.length)
    expect(discoveryMessages(setup())).toEqual(first)
  })

  it('use the configured discovery prefix and the device name when there is one', () => {
    const messages = discoveryMessages(
      setup({
        discoveryPrefix: 'ha/discovery',
        devices: [{ id: 'smoke-1', type: 'smoke', zone: 'back', name: 'Back' }],
      }),
    )
    expect(messages.every((m) => m.topic.startsWith('ha/discovery/'))).toBe(true)
    const smoke = messages.find((m) => m.topic.includes('smoke-1_smoke'))
    expect(smoke?.payload.device).toMatchObject({ name: 'Back', suggested_area: 'back' })
  })

  it('are checked by a schema that refuses what HA refuses', () => {
    const [smoke] = discoveryMessages(setup()).filter((m) => m.topic.endsWith('/smoke-1_smoke/config'))
    if (smoke === undefined) throw new Error('no smoke entity')
    const with_ = (over: Record<string, unknown>) => discoveryProblems(smoke.topic, { ...smoke.payload, ...over })
    expect(with_({ stat_t: 'x' })).not.toEqual([])
    expect(with_({ device_class: 'fire' })).not.toEqual([])
    expect(with_({ unit_of_measurement: '%' })).not.toEqual([])
    expect(with_({ device: { name: 'no identifiers' } })).not.toEqual([])
    expect(with_({ availability_topic: 'storeguard/s1/gateway/status' })).not.toEqual([])
    const sensor = discoveryMessages(setup()).find((m) => m.topic.includes('/sensor/'))
    if (sensor === undefined) throw new Error('no sensor entity')
    const { unit_of_measurement: _, state_class: __, ...unitless } = sensor.payload
    const asSensor = (over: Record<string, unknown>) => discoveryProblems(sensor.topic, { ...unitless, ...over })
    expect(asSensor({ device_class: 'enum', options: ['ok', 'fault'] })).toEqual([])
    expect(asSensor({ device_class: 'enum', options: ['ok'], unit_of_measurement: '%' })).not.toEqual([])
    expect(asSensor({ device_class: 'enum', options: ['ok'], state_class: 'measurement' })).not.toEqual([])
    expect(asSensor({ device_class: 'timestamp', unit_of_measurement: 's' })).not.toEqual([])
    expect(
      discoveryProblems(smoke.topic.replace('binary_sensor', 'sensor'), { ...smoke.payload, device_class: 'battery' }),
    ).not.toEqual([])
  })
})
