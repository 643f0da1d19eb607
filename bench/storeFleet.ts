import { DEVICE_TYPE_DEFINITIONS } from '../devices/types/registry.js'
import type { DeviceType, ReadingValue } from '../gateway/core/reading.js'
import { hashSecret } from '../gateway/security/secretHash.js'

/**
 * The store-load scenario's store (bench/README.md "Store load"): one real store's 40 MQTT devices,
 * each with its own login, on the production example config (deploy/storeguard.example.yaml):
 * embedded broker, anonymous off, InfluxDB on with its default batching, no demo simulator.
 */
export const STORE_ID = 'store-001'
export const STORE_PREFIX = `storeguard/${STORE_ID}`

export interface StoreDevice {
  readonly id: string
  readonly type: DeviceType
  readonly zone: string
  /** Its MQTT password; the config holds only its hash. */
  readonly password: string
  /** `<prefix>/devices/<id>/state`: a JSON object of metrics (docs/requirements.md#mqtt-topics). */
  readonly topic: string
}

/** How many of each type a business hall of this size has: detectors, probes, buttons, terminals. */
const MIX: readonly (readonly [DeviceType, number, readonly string[]])[] = [
  ['smoke', 10, ['hall', 'counter', 'backroom', 'office', 'vip']],
  ['heat', 2, ['backroom', 'office']],
  ['temperature', 6, ['hall', 'counter', 'backroom', 'office', 'vip', 'server']],
  ['leak', 4, ['backroom', 'server', 'office', 'hall']],
  ['water_level', 2, ['backroom', 'basement']],
  ['panic_button', 4, ['counter', 'vip', 'office', 'hall']],
  ['terminal', 8, ['hall']],
  ['door', 2, ['hall', 'backroom']],
  ['power', 1, ['server']],
  ['queue', 1, ['hall']],
]

/** The store's 40 devices, in a fixed order (so every run is the same store). */
export function storeDevices(): StoreDevice[] {
  const devices: StoreDevice[] = []
  for (const [type, count, zones] of MIX) {
    for (let i = 0; i < count; i++) {
      const id = `${type.replaceAll('_', '-')}-${i + 1}`
      devices.push({
        id,
        type,
        zone: zones[i % zones.length] as string,
        password: `bench-${id}-wifi-secret`,
        topic: `${STORE_PREFIX}/devices/${id}/state`,
      })
    }
  }
  return devices
}

/**
 * The n-th report of a device: what a healthy device of its type sends (its type's
 * `simulateNormal`), so the load raises no alarm. A terminal's report is its heartbeat: status,
 * fault codes, paper and uptime, as a terminal's agent sends it.
 */
export function storeReading(device: StoreDevice, n: number): string {
  const values: Record<string, ReadingValue> = { ...DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(n) }
  if (device.type === 'terminal') values.uptime_sec = 86_400 + n * 5
  return JSON.stringify(values)
}

export interface StoreConfigOptions {
  readonly influxUrl: string
  readonly database: string
  readonly dataDir: string
  readonly devices: readonly StoreDevice[]
  /**
   * A device whose type expects a report more often than this is given this `heartbeatSec`: the
   * bench's idle minute, with no device connected, would otherwise raise supervision alarms
   * (terminal fault, device fault) that a store, whose devices are back within seconds of a
   * restart, does not see, and their journal writes would count as store load. 0: type defaults.
   */
  readonly minHeartbeatSec: number
}

/** The config file: the production example's settings, every device with `mqtt.passwordHash`. */
export function storeConfigYaml(o: StoreConfigOptions): string {
  const devices = o.devices.map((d) => {
    const heartbeat =
      DEVICE_TYPE_DEFINITIONS[d.type].heartbeatSec < o.minHeartbeatSec ? `heartbeatSec: ${o.minHeartbeatSec}, ` : ''
    return `  - { id: ${d.id}, type: ${d.type}, zone: ${d.zone}, ${heartbeat}mqtt: { passwordHash: '${hashSecret(d.password)}' } }`
  })
  return `store:
  id: ${STORE_ID}
  name: Bench business hall
  timeZone: Asia/Shanghai
  locale: zh-CN
  operator: mobile
broker:
  mode: embedded
  host: 127.0.0.1
  port: 0
  allowAnonymous: false
  clients: []
devices:
${devices.join('\n')}
modbus:
  buses: []
gpio:
  driver: auto
influx:
  enabled: true
  url: ${o.influxUrl}
  database: ${o.database}
api:
  host: 127.0.0.1
  port: 0
  users: []
storage:
  dataDir: ${o.dataDir}
log:
  level: info
`
}
