import { isDeepStrictEqual } from 'node:util'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { DeviceConfig } from '../config/schema.js'
import { ROBOT_RATE_LIMITS } from '../outbox/tokenBucket.js'

/** One setting that differs between the running config and a new one, and whether a reload can apply it. */
export interface ConfigChange {
  /** `rules.flood.warningCm`, `api.users`, `devices[smoke-hall-3]`: devices are named by id, not index. */
  readonly path: string
  /** Applied by a reload; false: logged, and the running value stays until a restart. */
  readonly live: boolean
}

/** Channel kinds the outbox rate-limits. */
const ROBOT_KINDS: ReadonlySet<string> = new Set(Object.keys(ROBOT_RATE_LIMITS))

/** Derived from other settings (`store.id`, the file name): never reported on their own. */
const DERIVED = new Set(['file', 'topicPrefix'])

/**
 * Every setting that differs between `old` and `next`, each marked live or
 * restart-only. What is live (docs/reload.md): API users and tokens, rule
 * settings, notification routes and channels while notifications run, Home
 * Assistant discovery, and sensors on MQTT, Modbus and GPIO. Everything else
 * — listeners, the store's identity, the data directory, InfluxDB, the
 * bridge, bus and GPIO settings, output devices, texts, zones
 * — is bound into a running part at start: conservative, it needs a restart.
 * Pure: no I/O, the same answer for the same two configs.
 */
export function configChanges(old: LoadedConfig, next: LoadedConfig): ConfigChange[] {
  const changes: ConfigChange[] = []
  const keys = new Set([...Object.keys(old), ...Object.keys(next)])
  for (const key of keys) {
    if (DERIVED.has(key)) continue
    const a = (old as unknown as Record<string, unknown>)[key]
    const b = (next as unknown as Record<string, unknown>)[key]
    if (isDeepStrictEqual(a, b)) continue
    if (key === 'devices') changes.push(...deviceChanges(old.devices, next.devices, simulated(old)))
    else if (key === 'rules') changes.push(...leafPaths('rules', a, b).map((path) => ({ path, live: true })))
    else if (key === 'api') changes.push(...apiChanges(old, next))
    else if (key === 'notifications') changes.push(...notificationChanges(old, next))
    // the discovery component announces and clears entities from whatever setup it is handed
    else if (key === 'homeassistant') changes.push(...leafPaths(key, a, b).map((path) => ({ path, live: true })))
    else changes.push(...leafPaths(key, a, b).map((path) => ({ path, live: false })))
  }
  return changes
}

function apiChanges(old: LoadedConfig, next: LoadedConfig): ConfigChange[] {
  // users are read at every token check; host, port and TLS belong to the bound listener
  return leafPaths('api', old.api, next.api).map((path) => ({ path, live: path === 'api.users' }))
}

function notificationChanges(old: LoadedConfig, next: LoadedConfig): ConfigChange[] {
  const a = old.notifications
  const b = next.notifications
  // Routes and channels are swapped in the running service; without one running (disabled at
  // start) there is nothing to swap them in. A route may name a local output, and the outputs
  // are bound at start: with those changed, the routes wait for the restart too.
  // A chat robot's rate limit is set up at start: a new robot channel waits for the restart.
  const robots = (n: typeof a) =>
    new Set(n.channels.filter((c) => ROBOT_KINDS.has(c.kind)).map((c) => `${c.id}:${c.kind}`))
  const oldRobots = robots(a)
  const sameRobots = [...robots(b)].every((r) => oldRobots.has(r))
  const swappable = a.enabled && b.enabled && isDeepStrictEqual(a.outputs, b.outputs) && sameRobots
  return leafPaths('notifications', a, b).map((path) => ({
    path,
    live: swappable && (path === 'notifications.routes' || path === 'notifications.channels'),
  }))
}

/** The demo's simulator answers only the Modbus and GPIO devices it started with. */
const simulated = (config: LoadedConfig) => config.demo?.simulator.enabled === true

/**
 * Devices by id: added, removed or changed. A sensor or contact is live on
 * MQTT, Modbus or GPIO: its topics are routed, its bus restarted with it or
 * its line claimed, and it is supervised from the reload on. Sirens, strobes
 * and GPIO outputs (the outputs are bound at start), a device whose own
 * broker login changes (the broker's logins are built at start), and in the
 * demo (`simulated`) a Modbus or GPIO device, need a restart.
 */
export function deviceChanges(
  old: readonly DeviceConfig[],
  next: readonly DeviceConfig[],
  simulated = false,
): ConfigChange[] {
  const before = new Map(old.map((d) => [d.id, d]))
  const after = new Map(next.map((d) => [d.id, d]))
  const changes: ConfigChange[] = []
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(id)
    const b = after.get(id)
    if (isDeepStrictEqual(a, b)) continue
    changes.push({ path: `devices[${id}]`, live: liveDeviceChange(a, b, simulated) })
  }
  return changes
}

function liveDeviceChange(a: DeviceConfig | undefined, b: DeviceConfig | undefined, simulated: boolean): boolean {
  const input = (d: DeviceConfig | undefined) =>
    d === undefined ||
    (d.type !== 'siren' && d.type !== 'strobe' && d.gpio?.direction !== 'out' && !(simulated && (d.modbus ?? d.gpio)))
  const login = (d: DeviceConfig | undefined) => [d?.mqtt.username, d?.mqtt.passwordHash]
  const noLogin = (d: DeviceConfig | undefined) => d?.mqtt.passwordHash === undefined
  const sameLogin = isDeepStrictEqual(login(a), login(b)) || (noLogin(a) && noLogin(b))
  return input(a) && input(b) && sameLogin
}

/**
 * The paths below `prefix` where `a` and `b` differ: objects are followed to
 * their leaves, arrays and scalars are one setting each (`broker.clients`).
 */
export function leafPaths(prefix: string, a: unknown, b: unknown): string[] {
  if (isDeepStrictEqual(a, b)) return []
  if (!isPlainObject(a) || !isPlainObject(b)) return [prefix]
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].flatMap((k) => leafPaths(`${prefix}.${k}`, a[k], b[k]))
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
