import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { hashSecret } from '../../gateway/security/secretHash.js'
import { api } from './api.js'
import { centralPassword } from './centralBroker.js'
import { alarmEventKey, type CentralRecording } from './centralRecorder.js'
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess.js'
import { connectClient } from './mqttClient.js'

const SIM_PASSWORD = 'fleet-simulator-secret'
const CONSUMER_PASSWORD = 'fleet-consumer-secret'
const MANAGER_TOKEN = 'fleet-manager-token'

/** `store-001` … : a store id per gateway of the fleet. */
export const fleetStoreId = (index: number) => `store-${String(index + 1).padStart(3, '0')}`

export interface FleetSettings {
  readonly centralUrl: string
  readonly influxUrl: string
  /** Per-device telemetry summaries to the centre this often; default 10 s. */
  readonly telemetryIntervalSec?: number
  /** Simulated devices report this often; default 2 s. */
  readonly simulatorIntervalSec?: number
}

interface Hashes {
  readonly simulator: string
  readonly consumer: string
  readonly manager: string
}

/**
 * One store of a chain: its own id, a simulated set of devices (the demo
 * simulator through its embedded broker), InfluxDB shared with every other
 * store, and the bridge to the central broker (docs/requirements.md#fleet).
 */
function fleetStoreConfig(id: string, dataDir: string, settings: FleetSettings, h: Hashes): string {
  const prefix = `storeguard/${id}`
  return `
store: { id: ${id}, name: Fleet ${id}, timeZone: Asia/Shanghai, locale: zh-CN }
broker:
  host: 127.0.0.1
  port: 0
  clients:
    - username: simulator
      passwordHash: ${h.simulator}
      publish: [${prefix}/devices/#]
      subscribe: [${prefix}/devices/#]
    - username: consumer
      passwordHash: ${h.consumer}
      subscribe: [${prefix}/events]
devices:
  - { id: smoke-hall-1, type: smoke, zone: hall }
  - { id: smoke-backroom-1, type: smoke, zone: backroom }
  - { id: heat-backroom-1, type: heat, zone: backroom }
  - { id: leak-backroom-1, type: leak, zone: backroom }
  - { id: leak-entrance-1, type: leak, zone: entrance }
  - { id: water-level-1, type: water_level, zone: entrance }
  - { id: terminal-1, type: terminal, zone: self-service, heartbeatSec: 3600 }
  - { id: ups-1, type: power, zone: backroom }
influx:
  enabled: true
  url: ${settings.influxUrl}
  flushMs: 1000
  deviceStatusIntervalSec: 5
  gatewayIntervalSec: 5
bridge:
  url: ${settings.centralUrl}
  password: ${centralPassword(id)}
  reconnect: { baseMs: 500, capMs: 5000 }
  telemetry: { enabled: true, intervalSec: ${settings.telemetryIntervalSec ?? 10} }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: ops, role: manager, tokenHash: ${h.manager} }
storage:
  dataDir: ${dataDir}
demo:
  simulator: { enabled: true, username: simulator, password: ${SIM_PASSWORD}, intervalSec: ${settings.simulatorIntervalSec ?? 2} }
log:
  level: info
`
}

export interface FleetStore {
  readonly id: string
  readonly gateway: GatewayProcess
  /** Alarm events as the store's own broker published them: the truth the centre is checked against. */
  // biome-ignore lint/suspicious/noExplicitAny: system tests read event JSON as it comes off the wire
  readonly localEvents: any[]
  /** Publishes a device state as the device would (the simulator holds it afterwards). */
  send(deviceId: string, state: Record<string, unknown>): Promise<void>
  /** Acknowledges every open alarm through the API. */
  ackAll(): Promise<number>
  stop(): Promise<void>
}

async function startFleetStore(dir: string, index: number, settings: FleetSettings, h: Hashes): Promise<FleetStore> {
  const id = fleetStoreId(index)
  const storeDir = join(dir, id)
  mkdirSync(storeDir, { recursive: true })
  const gateway = await startGatewayProcess(storeDir, fleetStoreConfig(id, storeDir, settings, h), 60_000)
  const devices: MqttClient = await connectClient(gateway.mqttUrl, 'simulator', SIM_PASSWORD)
  const consumer: MqttClient = await connectClient(gateway.mqttUrl, 'consumer', CONSUMER_PASSWORD)
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const localEvents: any[] = []
  consumer.on('message', (_topic, payload) => localEvents.push(JSON.parse(payload.toString())))
  await consumer.subscribeAsync(`storeguard/${id}/events`, { qos: 1 })
  return {
    id,
    gateway,
    localEvents,
    async send(deviceId, state) {
      await devices.publishAsync(`storeguard/${id}/devices/${deviceId}/state`, JSON.stringify(state), { qos: 1 })
    },
    async ackAll() {
      const { alarms } = (await api(gateway.apiUrl, 'GET', '/api/alarms', MANAGER_TOKEN)).json
      let acked = 0
      for (const a of alarms as { id: string; state: string }[]) {
        if (a.state !== 'active_unacked' && a.state !== 'cleared_unacked') continue
        const res = await api(gateway.apiUrl, 'POST', `/api/alarms/${a.id}/ack`, MANAGER_TOKEN, {})
        if (res.status === 200) acked++
      }
      return acked
    },
    async stop() {
      await devices.endAsync(true)
      await consumer.endAsync(true)
      await gateway.kill()
    },
  }
}

/**
 * `size` gateways as separate processes on loopback, started `concurrency`
 * at a time (each one builds its journal and hashes nothing: the hashes are
 * made once for the fleet).
 */
export async function startFleet(
  dir: string,
  size: number,
  settings: FleetSettings,
  concurrency = 8,
): Promise<FleetStore[]> {
  const h: Hashes = {
    simulator: hashSecret(SIM_PASSWORD),
    consumer: hashSecret(CONSUMER_PASSWORD),
    manager: hashSecret(MANAGER_TOKEN),
  }
  const stores: FleetStore[] = new Array(size)
  let next = 0
  const worker = async () => {
    while (next < size) {
      const i = next++
      stores[i] = await startFleetStore(dir, i, settings, h)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, size) }, worker))
  } catch (err) {
    await Promise.all(stores.filter(Boolean).map((s) => s.stop()))
    throw err
  }
  return stores
}

/** Every store in turn, `step` at a time: a whole chain acting at once. */
export async function onEveryStore(stores: readonly FleetStore[], step: (s: FleetStore) => Promise<unknown>) {
  await Promise.all(stores.map(step))
}

export interface DeliveryCheck {
  /** Alarm events the stores published and the centre has not seen (after deduplication). */
  readonly missing: readonly string[]
  /** Alarm events the centre has under more than one msgId: duplicates that dedup cannot remove. */
  readonly duplicated: readonly string[]
  /** Alarm events the stores published, in all. */
  readonly expected: number
}

/** Compares each store's own alarm events with what the centre received. */
export function checkCentralDelivery(stores: readonly FleetStore[], central: CentralRecording): DeliveryCheck {
  const missing: string[] = []
  const duplicated: string[] = []
  let expected = 0
  for (const store of stores) {
    const counts = new Map<string, number>()
    for (const e of central.events(store.id, 'alarm')) {
      const key = alarmEventKey(e)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    for (const e of store.localEvents.filter((x) => x.type === 'alarm')) {
      expected++
      const key = `${store.id} ${alarmEventKey(e)}`
      const n = counts.get(alarmEventKey(e)) ?? 0
      if (n === 0) missing.push(key)
      if (n > 1) duplicated.push(key)
    }
  }
  return { missing, duplicated, expected }
}
