import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config/loadConfig.js'
import { configChanges, leafPaths } from './configChanges.js'
import { liveConfig } from './liveConfig.js'

const HASH = `scrypt$16384$8$1$${'A'.repeat(22)}$${'B'.repeat(43)}`

/** A small store; `extra` is appended as more top-level YAML. */
function config(
  options: {
    devices?: string
    rules?: string
    api?: string
    notifications?: string
    demo?: boolean
    extra?: string
  } = {},
) {
  const yaml = `
store: { id: s1, name: Store, timeZone: Asia/Shanghai }
broker: { host: 127.0.0.1, port: 0 }
devices:
  - { id: smoke-1, type: smoke, zone: hall }
  - { id: level-1, type: water_level, zone: hall, mqtt: { passwordHash: "${HASH}" } }
  - { id: siren-1, type: siren, zone: hall }
${options.devices ?? ''}
rules:
  flood: { warningCm: ${options.rules ?? '2'} }
api:
  host: 127.0.0.1
  port: ${options.api ?? '0'}
  users:
    - { name: vera, role: viewer, tokenHash: "${HASH}" }
modbus:
  buses:
    - { id: plc, type: tcp, host: 127.0.0.1, port: 1502 }
${options.demo === true ? 'demo: { simulator: { enabled: true } }' : ''}
${options.notifications ?? ''}
${options.extra ?? ''}
`
  return parseConfig(yaml, 'store.yaml', {})
}

const NOTIFY = (enabled: boolean, url: string) => `notifications:
  enabled: ${enabled}
  channels:
    - { id: ops, kind: webhook, url: "${url}" }
  routes: [{ channels: [ops] }]
`

describe('configChanges', () => {
  it('finds nothing between a config and itself', () => {
    expect(configChanges(config(), config())).toEqual([])
  })

  it('makes a rule threshold live, down to the setting that changed', () => {
    expect(configChanges(config(), config({ rules: '3' }))).toEqual([{ path: 'rules.flood.warningCm', live: true }])
  })

  it('makes API users live and the API port restart-only', () => {
    const next = config({ api: '8081' })
    const users = { ...next, api: { ...next.api, users: [] } }
    expect(configChanges(config(), users)).toEqual([
      { path: 'api.port', live: false },
      { path: 'api.users', live: true },
    ])
  })

  it('names devices by id: a new or removed MQTT sensor is live', () => {
    const added = config({ devices: '  - { id: leak-1, type: leak, zone: hall }' })
    expect(configChanges(config(), added)).toEqual([{ path: 'devices[leak-1]', live: true }])
    expect(configChanges(added, config())).toEqual([{ path: 'devices[leak-1]', live: true }])
  })

  const PANIC = '  - { id: panic-1, type: panic_button, zone: hall, gpio: { line: 17 } }'
  const TANK = '  - { id: tank-1, type: water_level, zone: hall, modbus: { bus: plc, profile: water-level-4-20ma } }'

  it('makes a Modbus or GPIO sensor live: added, removed or changed', () => {
    expect(configChanges(config(), config({ devices: PANIC }))).toEqual([{ path: 'devices[panic-1]', live: true }])
    expect(configChanges(config({ devices: TANK }), config())).toEqual([{ path: 'devices[tank-1]', live: true }])
    const moved = config({ devices: TANK.replace('zone: hall', 'zone: cellar') })
    expect(configChanges(config({ devices: TANK }), moved)).toEqual([{ path: 'devices[tank-1]', live: true }])
  })

  it("keeps the demo's simulated Modbus and GPIO devices for the restart: the simulator answers those it started with", () => {
    const demo = config({ demo: true })
    expect(configChanges(demo, config({ demo: true, devices: TANK }))).toEqual([
      { path: 'devices[tank-1]', live: false },
    ])
    expect(configChanges(demo, config({ demo: true, devices: PANIC }))).toEqual([
      { path: 'devices[panic-1]', live: false },
    ])
  })

  it('keeps sirens, GPIO outputs and devices with their own broker login for the restart', () => {
    const siren = config({ devices: '  - { id: siren-2, type: siren, zone: hall }' })
    expect(configChanges(config(), siren)).toEqual([{ path: 'devices[siren-2]', live: false }])
    const login = config({ devices: `  - { id: leak-2, type: leak, zone: hall, mqtt: { passwordHash: "${HASH}" } }` })
    expect(configChanges(config(), login)).toEqual([{ path: 'devices[leak-2]', live: false }])
    const relay = config({
      devices: '  - { id: strobe-1, type: strobe, zone: hall, gpio: { line: 18, direction: out } }',
    })
    expect(configChanges(config(), relay)).toEqual([{ path: 'devices[strobe-1]', live: false }])
  })

  it('makes notification routes and channels live only while notifications run', () => {
    const on = config({ notifications: NOTIFY(true, 'http://127.0.0.1:1/a') })
    const moved = config({ notifications: NOTIFY(true, 'http://127.0.0.1:1/b') })
    expect(configChanges(on, moved)).toEqual([{ path: 'notifications.channels', live: true }])
    const robot = config({
      notifications: NOTIFY(true, 'http://127.0.0.1:1/a').replace(
        'routes:',
        '  - { id: bot, kind: wecom, url: "http://127.0.0.1:1/w" }\n  routes:',
      ),
    })
    expect(configChanges(on, robot)).toEqual([{ path: 'notifications.channels', live: false }])
    const off = config({ notifications: NOTIFY(false, 'http://127.0.0.1:1/a') })
    expect(configChanges(off, moved)).toEqual([
      { path: 'notifications.enabled', live: false },
      { path: 'notifications.channels', live: false },
    ])
  })

  it('makes Home Assistant discovery live: it announces and clears entities from the new setup', () => {
    const on = config({ extra: 'homeassistant: { enabled: true, discoveryPrefix: ha }' })
    expect(configChanges(config(), on)).toEqual([
      { path: 'homeassistant.enabled', live: true },
      { path: 'homeassistant.discoveryPrefix', live: true },
    ])
    expect(liveConfig(config(), on, configChanges(config(), on)).homeassistant).toEqual(on.homeassistant)
  })

  it('marks the store identity, the data directory and the broker restart-only', () => {
    const old = config()
    const next = {
      ...old,
      store: { ...old.store, id: 's2' },
      storage: { ...old.storage, dataDir: '/elsewhere' },
      broker: { ...old.broker, port: 1884 },
      topicPrefix: 'storeguard/s2',
    }
    expect(configChanges(old, next)).toEqual([
      { path: 'store.id', live: false },
      { path: 'broker.port', live: false },
      { path: 'storage.dataDir', live: false },
    ])
  })
})

describe('leafPaths', () => {
  it('follows objects to their leaves and takes arrays whole', () => {
    expect(leafPaths('x', { a: { b: 1, c: [1] } }, { a: { b: 2, c: [1, 2] }, d: true })).toEqual([
      'x.a.b',
      'x.a.c',
      'x.d',
    ])
  })
})

describe('liveConfig', () => {
  it('applies the live changes and keeps the running value of the restart-only ones', () => {
    const old = config()
    const next = config({
      api: '8081',
      rules: '4',
      devices: '  - { id: leak-1, type: leak, zone: hall }\n  - { id: siren-2, type: siren, zone: hall }',
    })
    const applied = liveConfig(old, next, configChanges(old, next))
    expect(applied.api.port).toBe(0)
    expect(applied.rules.flood.warningCm).toBe(4)
    expect(applied.devices.map((d) => d.id)).toEqual(['smoke-1', 'level-1', 'siren-1', 'leak-1'])
  })

  it('removes a live device and keeps a removed one that needs a restart', () => {
    const old = config({ devices: '  - { id: leak-1, type: leak, zone: hall }' })
    const next = { ...old, devices: old.devices.filter((d) => d.id !== 'leak-1' && d.id !== 'siren-1') }
    const applied = liveConfig(old, next, configChanges(old, next))
    expect(applied.devices.map((d) => d.id)).toEqual(['smoke-1', 'level-1', 'siren-1'])
  })
})
