import type { BrokerConfig, DeviceConfig } from '../config/schema.js'
import { compileTopicFilter, filterCovers, isValidTopicFilter } from './topicFilter.js'

export { filterCovers, isValidTopicFilter, topicMatches } from './topicFilter.js'

/**
 * Who may publish and subscribe what on the embedded broker — docs/requirements.md#security
 * "per-device MQTT credentials with topic ACLs". Pure: no aedes, no I/O, so
 * every rule has a table test.
 */

/** A device with its own credentials: publishes only its own topics (MQTT in, docs/requirements.md#mqtt-topics). */
export interface DevicePrincipal {
  readonly kind: 'device'
  readonly username: string
  readonly deviceId: string
  readonly passwordHash: string
}

/** A configured `broker.clients` entry: a bridge (zigbee2mqtt) or a consumer. */
export interface ClientPrincipal {
  readonly kind: 'client'
  readonly username: string
  readonly passwordHash: string
  /** Topic filters it may publish to (+ and # allowed). */
  readonly publish: readonly string[]
  /** Topic filters it may subscribe within. */
  readonly subscribe: readonly string[]
}

/** A connection without a username; only ever admitted when `broker.allowAnonymous`. */
export interface AnonymousPrincipal {
  readonly kind: 'anonymous'
}

export type Principal = DevicePrincipal | ClientPrincipal | AnonymousPrincipal
export type CredentialedPrincipal = DevicePrincipal | ClientPrincipal

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ kind: 'anonymous' })

export interface BrokerAcl {
  /** The principal a username logs in as; undefined when nobody has that username. */
  principalFor(username: string): CredentialedPrincipal | undefined
  /** May `principal` publish to the concrete `topic`? */
  mayPublish(principal: Principal, topic: string): boolean
  /** May `principal` subscribe to `filter` (every topic it can match must be allowed)? */
  maySubscribe(principal: Principal, filter: string): boolean
}

export interface BrokerAclOptions {
  /** e.g. `storeguard/demo-store`, no trailing slash (docs/requirements.md#mqtt-topics). */
  readonly topicPrefix: string
  readonly broker: Pick<BrokerConfig, 'clients'>
  readonly devices: readonly DeviceConfig[]
}

/**
 * Sub-trees only the gateway publishes, in-process (MQTT out, docs/requirements.md#mqtt-topics). A
 * forged retained alarm, a fake `gateway/status offline` or a forged
 * `state/…` count that Home Assistant shows (docs/home-assistant.md) would
 * mislead staff, so no client filter, however wide, reaches them.
 */
const GATEWAY_ONLY = ['alarms', 'events', 'notices', 'tickets', 'reports', 'gateway', 'state'] as const

export function createBrokerAcl({ topicPrefix, broker, devices }: BrokerAclOptions): BrokerAcl {
  const principals = new Map<string, CredentialedPrincipal>()
  // config consistency rejects duplicate usernames; should one slip through, the first wins.
  const add = (p: CredentialedPrincipal) => {
    if (!principals.has(p.username)) principals.set(p.username, p)
  }
  const credentialedIds = new Set<string>()
  const extraTopics = new Map<string, string>() // device.mqtt.topic → device id
  for (const d of devices) {
    if (d.mqtt.topic !== undefined) extraTopics.set(d.mqtt.topic, d.id)
    if (d.mqtt.passwordHash === undefined) continue
    credentialedIds.add(d.id)
    add({ kind: 'device', username: d.mqtt.username ?? d.id, deviceId: d.id, passwordHash: d.mqtt.passwordHash })
  }
  for (const c of broker.clients) {
    // a malformed filter would match nothing anyway; dropping it keeps that explicit.
    const publish = c.publish.filter(isValidTopicFilter)
    const subscribe = c.subscribe.filter(isValidTopicFilter)
    add({ kind: 'client', username: c.username, passwordHash: c.passwordHash, publish, subscribe })
  }

  const devicesRoot = `${topicPrefix}/devices/`
  const isGatewayOnly = (topic: string) =>
    topic.startsWith('$') || // aedes' default hook guards $SYS; ours replaces it
    GATEWAY_ONLY.some((root) => topic === `${topicPrefix}/${root}` || topic.startsWith(`${topicPrefix}/${root}/`))

  /** `<prefix>/devices/<id>/<one level>` → id: `/state` (JSON) or `/<metric>` (bare value). */
  const deviceIdOfTopic = (topic: string): string | undefined => {
    if (!topic.startsWith(devicesRoot)) return undefined
    const rest = topic.slice(devicesRoot.length).split('/')
    return rest.length === 2 && rest[0] !== '' && rest[1] !== '' ? rest[0] : undefined
  }
  /** Topics device `id` publishes: its own topics (docs/requirements.md#mqtt-topics) and its configured extra topic. */
  const isDeviceTopic = (id: string, topic: string): boolean => {
    if (deviceIdOfTopic(topic) === id) return true
    const extra = topic.endsWith('/availability') ? topic.slice(0, -'/availability'.length) : topic
    return extraTopics.get(extra) === id
  }
  /** The id a device-subtree filter names literally, e.g. `<prefix>/devices/door-1/cmd/#` → door-1. */
  const deviceIdOfFilter = (filter: string): string | undefined => {
    if (!filter.startsWith(devicesRoot)) return undefined
    const id = filter.slice(devicesRoot.length).split('/')[0]
    return id === undefined || id === '' || id === '+' || id === '#' ? undefined : id
  }
  const mayUseDeviceSubtree = (id: string, filter: string) => filterCovers(`${devicesRoot}${id}/#`, filter)
  // every publish of a client (a zigbee2mqtt bridge: every reading) is checked against its filters: compile them once
  const compiled = new Map<string, (topic: string) => boolean>()
  const matcher = (filter: string) => {
    const known = compiled.get(filter)
    if (known !== undefined) return known
    const matches = compileTopicFilter(filter)
    compiled.set(filter, matches)
    return matches
  }

  return {
    principalFor: (username) => principals.get(username),

    mayPublish(principal, topic) {
      if (isGatewayOnly(topic)) return false
      switch (principal.kind) {
        case 'device':
          return isDeviceTopic(principal.deviceId, topic)
        case 'client':
          return principal.publish.some((f) => matcher(f)(topic))
        case 'anonymous': {
          // Choice (docs/requirements.md#security): anonymous access exists for cheap sensors that
          // cannot hold credentials. It may publish as any device that has no
          // credentials of its own (unknown ids included, so the gateway can
          // count them as unknown devices), never as one that has: a device
          // given a password cannot be impersonated by turning anonymous on.
          const id = deviceIdOfTopic(topic) ?? extraTopics.get(topic.replace(/\/availability$/, ''))
          return id !== undefined && !credentialedIds.has(id) && isDeviceTopic(id, topic)
        }
      }
    },

    maySubscribe(principal, filter) {
      switch (principal.kind) {
        case 'device':
          // commands only: its own subtree, nothing else (not other devices' readings).
          return mayUseDeviceSubtree(principal.deviceId, filter)
        case 'client':
          return principal.subscribe.some((allowed) => filterCovers(allowed, filter))
        case 'anonymous': {
          // Choice: like an uncredentialed device, the subtree of one literal
          // device id without credentials; never alarms, events, notices,
          // tickets, gateway status nor other devices' readings.
          const id = deviceIdOfFilter(filter)
          return id !== undefined && !credentialedIds.has(id) && mayUseDeviceSubtree(id, filter)
        }
      }
    },
  }
}
