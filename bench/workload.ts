/**
 * The one workload every contender gets (StoreGuard, Node-RED, the ceiling
 * pipeline): the same topics, the same payloads, the same thresholds, so the
 * numbers compare like for like.
 *
 * - JSON sensors: `<prefix>/devices/<id>/state` with `{"temperature": …, "humidity": …}`
 * - zigbee2mqtt sensors: `zigbee2mqtt/<name>` with z2m's full JSON (temperature, battery, linkquality, voltage)
 * - leak probes (alarm latency): `<prefix>/devices/<id>/state` with `{"water_leak": true|false}`,
 *   each in a zone of its own (`probe-<n>`): StoreGuard keeps one flood alarm per zone
 *
 * Every contender must write one InfluxDB point per sensor message into
 * measurement `sensor` with tag `device` and a `temperature` field (so
 * `SELECT count("temperature") FROM "sensor"` counts readings landed), and
 * publish an alarm for a wet leak probe on `<prefix>/alarms/<anything>` as
 * JSON with at least `deviceId` and `conditionActive` (StoreGuard's alarm
 * JSON already is).
 */
export const PREFIX = 'storeguard/bench'

/** A heat reading at or above this is a fire alarm (the fire rule's default fixed threshold). */
export const HEAT_THRESHOLD_C = 57

/**
 * The bench broker's settings (mosquitto.conf lines). mosquitto's defaults queue 1000 messages per
 * slow subscriber and drop the rest, even at QoS 1: every contender would lose readings before it
 * saw them, so the bench broker queues without limit and, like any broker in front of alarms, it
 * must not hold small packets back (Nagle: ~40 ms).
 */
export const BENCH_MOSQUITTO_CONFIG = ['max_queued_messages 0', 'max_inflight_messages 1000', 'set_tcp_nodelay true']

export interface BenchDevice {
  readonly id: string
  readonly kind: 'json' | 'z2m' | 'leak'
  /** The MQTT topic its messages arrive on. */
  readonly topic: string
}

export function benchDevices(count = 200, leakProbes = 50): BenchDevice[] {
  const pad = (n: number) => String(n).padStart(3, '0')
  const half = Math.floor(count / 2)
  const devices: BenchDevice[] = []
  for (let i = 1; i <= half; i++) {
    const id = `json-${pad(i)}`
    devices.push({ id, kind: 'json', topic: `${PREFIX}/devices/${id}/state` })
  }
  for (let i = 1; i <= count - half; i++) {
    devices.push({ id: `z2m-${pad(i)}`, kind: 'z2m', topic: `zigbee2mqtt/z2m_${pad(i)}` })
  }
  for (let i = 1; i <= leakProbes; i++) {
    const id = `leak-${pad(i)}`
    devices.push({ id, kind: 'leak', topic: `${PREFIX}/devices/${id}/state` })
  }
  return devices
}

/** The n-th reading of a sensor: always below the heat threshold, so ingest raises no alarm. */
export function sensorPayload(device: BenchDevice, n: number): string {
  const temperature = 20 + (n % 100) / 10
  if (device.kind === 'z2m') {
    return `{"temperature":${temperature},"battery":${90 - (n % 10)},"linkquality":${100 + (n % 50)},"voltage":3000}`
  }
  return `{"temperature":${temperature},"humidity":${40 + (n % 20)}}`
}

export function leakPayload(wet: boolean): string {
  return `{"water_leak":${wet}}`
}

/** What every contender runs as, for the table: its process, its memory. */
export interface Contender {
  readonly name: string
  readonly pid: number
  /** Resident set size in bytes, now (from /proc/<pid>/status). */
  rss(): number
  /** Its Prometheus text (GET /metrics), when it has one. */
  metrics?(): Promise<string>
  stop(): Promise<void>
}

/** What every contender is started with. */
export interface ContenderOptions {
  readonly brokerUrl: string
  readonly influxUrl: string
  /** Its own database: counts never mix. */
  readonly database: string
  readonly devices: readonly BenchDevice[]
  /** A folder of its own for config, data and installs. */
  readonly workDir: string
}
