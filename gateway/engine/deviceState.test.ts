import { describe, expect, it } from 'vitest'
import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import { parseConfig } from '../config/loadConfig.js'
import { createDeviceState } from './deviceState.js'

/** The device state of a store whose config says `rules` and lists `devices`, loaded as the gateway loads it. */
function stateOf(devices: string, rules = '') {
  const config = parseConfig(`store:\n  id: shop-12\ndevices:\n${devices}${rules}`, 'store.yaml', {})
  return createDeviceState(config.devices, config.rules.deviceHealth)
}

describe('battery thresholds a device is judged against', () => {
  it('ship with a voltage threshold for every battery-powered Zigbee type, and none for mains devices', () => {
    const lowMv = Object.fromEntries(Object.entries(DEVICE_TYPE_DEFINITIONS).map(([t, d]) => [t, d.lowBatteryMv]))
    expect(lowMv).toMatchObject({ smoke: 2700, heat: 2700, panic_button: 2700, leak: 2500, door: 2500 })
    expect(lowMv).toMatchObject({ temperature: 2500 })
    for (const mains of ['power', 'terminal', 'queue', 'water_level', 'business_system', 'siren', 'strobe']) {
      expect(lowMv[mains], mains).toBeUndefined()
    }
  })

  it('by default: the store-wide 15 % and the type’s own voltage', () => {
    const state = stateOf(
      '  - { id: smoke-1, type: smoke, zone: hall }\n  - { id: leak-1, type: leak, zone: back }\n  - { id: ups-1, type: power, zone: back }\n',
    )
    expect(state.batteryThresholds('smoke-1')).toEqual({ lowPct: 15, lowMv: 2700 })
    expect(state.batteryThresholds('leak-1')).toEqual({ lowPct: 15, lowMv: 2500 })
    expect(state.batteryThresholds('ups-1')).toEqual({ lowPct: 15, lowMv: undefined })
  })

  it('the store’s setting for a type overrides the store-wide % and the shipped voltage', () => {
    const state = stateOf(
      '  - { id: smoke-1, type: smoke, zone: hall }\n  - { id: leak-1, type: leak, zone: back }\n',
      'rules:\n  deviceHealth:\n    lowBatteryPct: 20\n    types:\n      smoke: { lowBatteryPct: 30, lowBatteryMv: 7500 }\n',
    )
    expect(state.batteryThresholds('smoke-1')).toEqual({ lowPct: 30, lowMv: 7500 })
    expect(state.batteryThresholds('leak-1')).toEqual({ lowPct: 20, lowMv: 2500 })
  })

  it('a device’s own setting overrides its type’s', () => {
    const state = stateOf(
      '  - { id: smoke-9v, type: smoke, zone: hall, lowBatteryMv: 7500 }\n  - { id: smoke-2, type: smoke, zone: hall, lowBatteryPct: 25 }\n',
      'rules:\n  deviceHealth:\n    types:\n      smoke: { lowBatteryPct: 30, lowBatteryMv: 2600 }\n',
    )
    expect(state.batteryThresholds('smoke-9v')).toEqual({ lowPct: 30, lowMv: 7500 })
    expect(state.batteryThresholds('smoke-2')).toEqual({ lowPct: 25, lowMv: 2600 })
  })
})

describe('a config reload of the device list', () => {
  it('forgets a removed device, and supervises an added one from the reload on', () => {
    const config = parseConfig(
      'store:\n  id: shop-12\ndevices:\n  - { id: smoke-1, type: smoke, zone: hall }\n',
      'store.yaml',
      {},
    )
    const state = createDeviceState(config.devices, config.rules.deviceHealth)
    const reading = { store: 'shop-12', deviceType: 'smoke', zone: 'hall', metric: 'smoke', value: false } as const
    state.record({ ...reading, deviceId: 'smoke-1', ts: 100, quality: 'good' })
    const leak = { id: 'leak-1', type: 'leak', zone: 'back', mqtt: {} } as const
    state.reload([leak], config.rules.deviceHealth, 5_000)
    expect(state.device('smoke-1')).toBeUndefined()
    expect(state.lastSeen('smoke-1')).toBeUndefined()
    expect(state.device('leak-1')?.zone).toBe('back')
    expect(state.lastSeen('leak-1')).toBeUndefined()
    expect(state.heardOrAdded('leak-1')).toBe(5_000)
  })
})
