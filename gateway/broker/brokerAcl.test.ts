import { describe, expect, it } from 'vitest'
import type { DeviceConfig } from '../config/schema.js'
import { ANONYMOUS, createBrokerAcl, type Principal } from './brokerAcl.js'

const P = 'storeguard/demo-store'
// the ACL only compares hashes as strings; the broker test uses real scrypt hashes
const HASH = 'scrypt$16384$8$1$c2FsdA==$aGFzaA=='

function device(id: string, mqtt: DeviceConfig['mqtt'] = {}): DeviceConfig {
  return { id, type: 'smoke', zone: 'hall', mqtt }
}

const acl = createBrokerAcl({
  topicPrefix: P,
  devices: [
    device('smoke-1', { passwordHash: HASH }),
    device('leak-1', { passwordHash: HASH, username: 'leak-user', topic: 'zigbee2mqtt/leak' }),
    device('door-1', { topic: 'zigbee2mqtt/door' }), // no credentials
    device('heat-1'),
  ],
  broker: {
    clients: [
      { username: 'z2m', passwordHash: HASH, publish: ['zigbee2mqtt/#', `${P}/#`], subscribe: ['zigbee2mqtt/#'] },
      { username: 'console', passwordHash: HASH, publish: [], subscribe: [`${P}/alarms/#`, `${P}/devices/+/state`] },
      { username: 'typo', passwordHash: HASH, publish: ['a/#/b'], subscribe: ['#/x'] },
      // the demo's read-only observer: everything of the store to read, nothing to write
      { username: 'observer', passwordHash: HASH, publish: [], subscribe: [`${P}/#`] },
    ],
  },
})

const principal = (username: string): Principal => {
  const p = acl.principalFor(username)
  if (p === undefined) throw new Error(`no principal ${username}`)
  return p
}

describe('principalFor', () => {
  it('knows devices with credentials by username, defaulting to the device id', () => {
    expect(acl.principalFor('smoke-1')).toMatchObject({ kind: 'device', deviceId: 'smoke-1' })
    expect(acl.principalFor('leak-user')).toMatchObject({ kind: 'device', deviceId: 'leak-1' })
    expect(acl.principalFor('leak-1')).toBeUndefined()
  })
  it('does not know devices without a password hash, nor strangers', () => {
    expect(acl.principalFor('door-1')).toBeUndefined()
    expect(acl.principalFor('nobody')).toBeUndefined()
  })
  it('knows configured broker clients', () => {
    expect(acl.principalFor('z2m')).toMatchObject({ kind: 'client', username: 'z2m' })
  })
})

describe('mayPublish', () => {
  it.each<[string, string, boolean]>([
    ['smoke-1', `${P}/devices/smoke-1/state`, true],
    ['smoke-1', `${P}/devices/smoke-1/battery`, true],
    ['smoke-1', `${P}/devices/smoke-1/a/b`, false], // one metric level only
    ['smoke-1', `${P}/devices/smoke-1`, false],
    ['smoke-1', `${P}/devices/smoke-1/`, false],
    ['smoke-1', `${P}/devices/leak-1/state`, false], // another device's topic
    ['smoke-1', `${P}/devices/smoke-10/state`, false],
    ['smoke-1', `${P}/alarms/a1`, false],
    ['smoke-1', `${P}/weather`, false],
    ['smoke-1', 'zigbee2mqtt/leak', false],
    ['leak-user', 'zigbee2mqtt/leak', true], // its configured topic
    ['leak-user', 'zigbee2mqtt/leak/availability', true],
    ['leak-user', 'zigbee2mqtt/leak/set', false],
    ['leak-user', 'zigbee2mqtt/door', false],
    ['z2m', 'zigbee2mqtt/door', true],
    ['z2m', `${P}/devices/door-1/state`, true],
    ['z2m', `${P}/weather`, true],
    ['z2m', `${P}/alarms/a1`, false], // gateway-only, whatever the filter says
    ['z2m', `${P}/alarms`, false],
    ['z2m', `${P}/events`, false],
    ['z2m', `${P}/notices/n1`, false],
    ['z2m', `${P}/tickets/t1`, false],
    ['z2m', `${P}/gateway/status`, false],
    ['z2m', `${P}/state/alarms`, false], // what Home Assistant shows
    ['z2m', `${P}/state/devices/door-1/availability`, false],
    ['z2m', `${P}/eventsx`, true], // only the exact sub-trees are reserved
    ['z2m', 'other/topic', false],
    ['console', `${P}/devices/smoke-1/state`, false],
    ['typo', 'a/x/b', false], // a malformed filter grants nothing
    ['observer', `${P}/devices/siren-hall/cmd`, false], // read only: no commands to outputs
    ['observer', `${P}/devices/smoke-1/state`, false], // nor readings
    ['observer', `${P}/sim/water-level-1`, false], // nor the demo's simulated hardware
    ['observer', 'zigbee2mqtt/leak', false],
    ['observer', `${P}/weather`, false],
  ])('%s → %s: %s', (username, topic, expected) => {
    expect(acl.mayPublish(principal(username), topic)).toBe(expected)
  })

  it('refuses $SYS topics to everyone (aedes default hook did, ours replaces it)', () => {
    const wide = createBrokerAcl({
      topicPrefix: P,
      devices: [],
      broker: { clients: [{ username: 'root', passwordHash: HASH, publish: ['#', '$SYS/#'], subscribe: [] }] },
    })
    const root = wide.principalFor('root')
    expect(root).toBeDefined()
    if (root) expect(wide.mayPublish(root, '$SYS/broker/heartbeat')).toBe(false)
  })

  it.each<[string, boolean]>([
    [`${P}/devices/door-1/state`, true], // a device without credentials
    [`${P}/devices/new-sensor/temperature`, true], // unknown: the gateway counts it
    ['zigbee2mqtt/door', true],
    ['zigbee2mqtt/door/availability', true],
    [`${P}/devices/smoke-1/state`, false], // a credentialed device cannot be impersonated
    ['zigbee2mqtt/leak', false],
    [`${P}/alarms/a1`, false],
    [`${P}/events`, false],
    [`${P}/weather`, false],
    ['random/topic', false],
  ])('anonymous → %s: %s', (topic, expected) => {
    expect(acl.mayPublish(ANONYMOUS, topic)).toBe(expected)
  })
})

describe('maySubscribe', () => {
  it.each<[string, string, boolean]>([
    ['smoke-1', `${P}/devices/smoke-1/#`, true],
    ['smoke-1', `${P}/devices/smoke-1/cmd`, true],
    ['smoke-1', `${P}/devices/smoke-1/+/set`, true],
    ['smoke-1', `${P}/devices/+/cmd`, false],
    ['smoke-1', `${P}/devices/leak-1/#`, false],
    ['smoke-1', `${P}/alarms/#`, false],
    ['smoke-1', '#', false],
    ['console', `${P}/alarms/#`, true],
    ['console', `${P}/alarms/a1`, true],
    ['console', `${P}/devices/+/state`, true],
    ['console', `${P}/devices/smoke-1/state`, true],
    ['console', `${P}/devices/#`, false], // wider than granted
    ['console', `${P}/#`, false],
    ['console', '#', false],
    ['console', `${P}/events`, false],
    ['z2m', 'zigbee2mqtt/#', true],
    ['z2m', `${P}/alarms/#`, false],
    ['typo', 'a/x', false],
    ['observer', `${P}/#`, true], // the line the demo banner prints
    ['observer', `${P}/alarms/#`, true],
    ['observer', `${P}/events`, true],
    ['observer', `${P}/devices/+/state`, true],
    ['observer', '#', false], // nothing beyond the store's prefix
    ['observer', 'zigbee2mqtt/#', false],
    ['observer', '$SYS/#', false],
  ])('%s ← %s: %s', (username, filter, expected) => {
    expect(acl.maySubscribe(principal(username), filter)).toBe(expected)
  })

  it.each<[string, boolean]>([
    [`${P}/devices/door-1/#`, true],
    [`${P}/devices/door-1/cmd`, true],
    [`${P}/devices/smoke-1/#`, false],
    [`${P}/devices/+/state`, false],
    [`${P}/devices/#`, false],
    [`${P}/alarms/#`, false],
    [`${P}/events`, false],
    ['#', false],
  ])('anonymous ← %s: %s', (filter, expected) => {
    expect(acl.maySubscribe(ANONYMOUS, filter)).toBe(expected)
  })
})
