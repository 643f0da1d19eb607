import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/loadConfig.js'
import { homeAssistantSetup } from './startHomeAssistant.js'

const yaml = (extra: string) => `
store: { id: s1, name: Store one, locale: en }
zones: [{ id: hall, name: { zh-CN: 营业厅, en: Sales hall } }]
devices:
  - { id: smoke-1, type: smoke, zone: hall }
${extra}`

describe('the Home Assistant setup taken from the config', () => {
  it('is off by default, on the discovery prefix HA uses by default', () => {
    const setup = homeAssistantSetup(parseConfig(yaml(''), 'storeguard.yaml', {}), '1.0.0')
    expect(setup).toMatchObject({ enabled: false, discoveryPrefix: 'homeassistant', topicPrefix: 'storeguard/s1' })
  })

  it('takes the store, its devices and zone names, as a reload hands them over', () => {
    const config = parseConfig(yaml('homeassistant: { enabled: true, discoveryPrefix: ha }'), 'storeguard.yaml', {})
    const setup = homeAssistantSetup(config, '1.0.0')
    expect(setup).toMatchObject({
      enabled: true,
      discoveryPrefix: 'ha',
      store: { id: 's1', name: 'Store one', locale: 'en' },
      zoneNames: { hall: { en: 'Sales hall' } },
      swVersion: '1.0.0',
    })
    expect(setup.devices.map((d) => d.id)).toEqual(['smoke-1'])
  })

  it('refuses a discovery prefix HA could not subscribe to', () => {
    for (const prefix of ['ha/#', '/ha', 'ha/', '']) {
      expect(() =>
        parseConfig(yaml(`homeassistant: { enabled: true, discoveryPrefix: '${prefix}' }`), 'storeguard.yaml', {}),
      ).toThrow(/homeassistant\.discoveryPrefix/)
    }
  })
})
