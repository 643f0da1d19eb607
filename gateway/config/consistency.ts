import { SIMULATED_SERIAL_PORT } from '../../devices/modbus/modbusSchema.js'
import { loadProfiles, type Profiles, resolveRegisters } from '../../devices/modbus/profiles.js'
import { registerMapProblems } from '../../devices/modbus/registerMapCheck.js'
import type { DeviceType } from '../core/reading.js'
import { formatPath } from './configPath.js'
import { notificationProblems } from './notificationsConsistency.js'
import { outputsProblems } from './outputsConsistency.js'
import type { Config, ModbusDeviceConfig, RegisterConfig } from './schema.js'
import { textsProblems } from './textsConsistency.js'
import { zoneProblems } from './zonesSchema.js'

export interface ConsistencyProblem {
  readonly segments: readonly (string | number)[]
  readonly path: string
  readonly message: string
}

/** Rules a JSON Schema cannot say: uniqueness across lists and cross-references. */
export function checkConfigConsistency(config: Config): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = []
  const add = (segments: (string | number)[], message: string) =>
    problems.push({ segments, path: formatPath(segments), message })

  const deviceIds = new Map<string, number>()
  const topics = new Map<string, number>()
  const usernames = new Map<string, string>()
  config.broker.clients.forEach((c, i) => {
    if (usernames.has(c.username)) add(['broker', 'clients', i, 'username'], `"${c.username}" is used twice`)
    usernames.set(c.username, `broker.clients[${i}]`)
  })
  config.devices.forEach((d, i) => {
    const first = deviceIds.get(d.id)
    if (first !== undefined) add(['devices', i, 'id'], `"${d.id}" is already the id of devices[${first}]`)
    else deviceIds.set(d.id, i)
    if (d.mqtt.topic !== undefined) {
      const other = topics.get(d.mqtt.topic)
      if (other !== undefined) add(['devices', i, 'mqtt', 'topic'], `is already the topic of devices[${other}]`)
      else topics.set(d.mqtt.topic, i)
    }
    if (d.mqtt.passwordHash !== undefined) {
      const username = d.mqtt.username ?? d.id
      const owner = usernames.get(username)
      if (owner !== undefined) add(['devices', i, 'mqtt', 'username'], `"${username}" is already used by ${owner}`)
      usernames.set(username, `devices[${i}]`)
    }
  })
  for (const p of modbusBusProblems(config)) add(p.segments, p.message)
  for (const p of zoneProblems(config.zones)) add(p.segments, p.message)
  const buses = new Set(config.modbus.buses.map((b) => b.id))
  const gpioLines = new Map<number, number>()
  config.devices.forEach((d, i) => {
    if (d.modbus && d.gpio) add(['devices', i, 'gpio'], 'a device is read over Modbus or GPIO, not both')
    if (d.modbus && !buses.has(d.modbus.bus)) {
      add(
        ['devices', i, 'modbus', 'bus'],
        `must be the id of one of modbus.buses (${[...buses].join(', ') || 'none declared'})`,
      )
    }
    if (d.modbus && d.modbus.registers.length === 0 && d.modbus.profile === undefined) {
      add(['devices', i, 'modbus'], 'needs registers or a profile')
    } else if (d.modbus) {
      for (const problem of registerMapIssues({ id: d.id, type: d.type, modbus: d.modbus })) {
        add(['devices', i, 'modbus', problem.where], problem.message)
      }
    }
    if (d.gpio) {
      const other = gpioLines.get(d.gpio.line)
      if (other !== undefined)
        add(['devices', i, 'gpio', 'line'], `BCM ${d.gpio.line} is already used by devices[${other}]`)
      else gpioLines.set(d.gpio.line, i)
    }
  })
  if (config.broker.mode === 'external' && config.broker.url === undefined) {
    add(['broker', 'url'], 'must be set when broker.mode is "external"')
  }
  for (const p of listenerProblems(config)) add(p.segments, p.message)
  for (const p of demoObserverProblems(config)) add(p.segments, p.message)
  const devicesById = new Map(config.devices.map((d) => [d.id, d]))
  for (const p of notificationProblems(config.notifications, devicesById))
    add(['notifications', ...p.segments], p.message)
  for (const p of outputsProblems(config.outputs, devicesById)) add(['outputs', ...p.segments], p.message)
  for (const p of textsProblems(config.texts)) add(['texts', ...p.segments], p.message)
  const tls = config.bridge?.tls
  if (tls && (tls.cert === undefined) !== (tls.key === undefined)) {
    add(
      ['bridge', 'tls', tls.cert === undefined ? 'cert' : 'key'],
      'is needed too: a client certificate goes with its key',
    )
  }
  if (tls && (tls.cert !== undefined || tls.ca !== undefined) && config.bridge?.url.startsWith('mqtt://')) {
    add(['bridge', 'url'], 'must be mqtts:// when tls certificates are given')
  }
  // a CA for a plain-http InfluxDB would be silently unused: the operator meant https
  if (config.influx.ca !== undefined && !config.influx.url.startsWith('https://')) {
    add(['influx', 'url'], 'must be https:// when influx.ca is given')
  }
  return problems
}

/**
 * The embedded broker needs at least one listener; the demo simulator and
 * `storeguard simulate` talk plain MQTT to it, so they need the plain one.
 */
function listenerProblems(config: Config): BusProblem[] {
  const { broker } = config
  if (broker.mode !== 'embedded' || broker.plain) return []
  if (broker.tls === undefined)
    return [{ segments: ['broker', 'plain'], message: 'may be false only with broker.tls: no listener is left' }]
  if (config.demo?.simulator.enabled)
    return [
      { segments: ['broker', 'plain'], message: 'must be true for demo.simulator, which connects over plain MQTT' },
    ]
  return []
}

/**
 * The banner prints the demo observer's login as read-only, for anyone to
 * paste: it must be a broker client, and one that may publish nothing (no
 * commands to sirens, no simulated readings).
 */
function demoObserverProblems(config: Config): BusProblem[] {
  const observer = config.demo?.observer
  if (observer === undefined) return []
  const at = ['demo', 'observer', 'username']
  const i = config.broker.clients.findIndex((c) => c.username === observer.username)
  if (i < 0) return [{ segments: at, message: `"${observer.username}" must be the username of one of broker.clients` }]
  if (config.broker.clients[i]?.publish.length !== 0)
    return [
      { segments: at, message: `is printed as read-only, but broker.clients[${i}] may publish: set its publish: []` },
    ]
  return []
}

type BusProblem = { readonly segments: (string | number)[]; readonly message: string }

/**
 * Bus ids are unique; one connection per TCP host:port (docs/requirements.md#modbus): two buses
 * on one host:port would open two connections and interleave requests at a
 * gateway that serves one at a time; and `port: simulated` is the demo
 * simulator's serial line, which nothing else provides.
 */
function modbusBusProblems(config: Config): BusProblem[] {
  const problems: BusProblem[] = []
  const ids = new Map<string, number>()
  const hosts = new Map<string, number>()
  config.modbus.buses.forEach((bus, i) => {
    const at = (setting: string) => ['modbus', 'buses', i, setting]
    const sameId = firstIndex(ids, bus.id, i)
    if (sameId !== undefined)
      problems.push({ segments: at('id'), message: `"${bus.id}" is already the id of modbus.buses[${sameId}]` })
    const hostPort = bus.type === 'tcp' ? `${bus.host.toLowerCase()}:${bus.port}` : undefined
    const sameHost = hostPort === undefined ? undefined : firstIndex(hosts, hostPort, i)
    if (sameHost !== undefined) {
      problems.push({
        segments: at('host'),
        message: `${hostPort} is already the host of modbus.buses[${sameHost}]: one connection per host, so put its devices on that bus`,
      })
    }
    if (bus.type === 'rtu' && bus.port === SIMULATED_SERIAL_PORT && !config.demo?.simulator.enabled) {
      problems.push({
        segments: at('port'),
        message: `"${SIMULATED_SERIAL_PORT}" is the demo simulator's serial line: needs demo.simulator.enabled, or a serial device such as /dev/ttyUSB0`,
      })
    }
  })
  return problems
}

/** The index `key` was first seen at, or undefined after noting it at `index`. */
function firstIndex(seen: Map<string, number>, key: string, index: number): number | undefined {
  const first = seen.get(key)
  if (first === undefined) seen.set(key, index)
  return first
}

let shippedProfiles: Profiles | undefined

/** A Modbus device's resolved register map, checked against its device type (devices/modbus). */
function registerMapIssues(device: {
  id: string
  type: DeviceType
  modbus: ModbusDeviceConfig
}): { where: 'profile' | 'registers'; message: string }[] {
  shippedProfiles ??= loadProfiles()
  let registers: RegisterConfig[]
  try {
    registers = resolveRegisters(device, shippedProfiles)
  } catch (err) {
    return [{ where: 'profile', message: err instanceof Error ? err.message : String(err) }]
  }
  return registerMapProblems(device, registers).map((message) => ({ where: 'registers', message }))
}
