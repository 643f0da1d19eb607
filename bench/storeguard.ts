import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { hashSecret } from '../gateway/security/secretHash.js'
import { rssOf } from './procStats.js'
import { type BenchDevice, type Contender, type ContenderOptions, PREFIX } from './workload.js'

/** The bench's own MQTT login on the embedded broker: publishes every device topic, reads alarms. */
export const BENCH_CLIENT = { username: 'bench', password: 'bench-load-generator' }
/** The bench's API token (viewer): reads /metrics, e.g. the longest event-loop stalls of a latency run. */
const BENCH_API_TOKEN = 'bench-metrics-reader'

const CLI = join(import.meta.dirname, '..', 'gateway', 'cli.js')

export interface StoreGuardContender extends Contender {
  /** The MQTT URL to publish to: the embedded broker's, or the external broker it uses. */
  readonly mqttUrl: string
  readonly apiUrl: string
  /** From spawn to "gateway started" (MQTT accepting connections), ms. */
  readonly startupMs: number
  /** The gateway's Prometheus text (GET /metrics). */
  metrics(): Promise<string>
  /** Bytes it has logged so far (stdout and stderr): under systemd, what journald stores. */
  logBytes(): number
}

/**
 * The built gateway (`dist/gateway/cli.js run`) on a bench store: every
 * bench device configured, InfluxDB on, the embedded broker (`brokerUrl`
 * null) or an external one (the same mosquitto Node-RED gets). Chattering
 * and alarm-flood suppression are turned down so the leak probes can raise
 * and clear as often as the latency run asks.
 */
export function startStoreGuard(
  options: Omit<ContenderOptions, 'brokerUrl'> & { readonly brokerUrl: string | null },
): Promise<StoreGuardContender> {
  const name = options.brokerUrl === null ? 'StoreGuard (embedded broker)' : 'StoreGuard'
  return launchStoreGuard(name, benchConfig(options), options.workDir, options.brokerUrl)
}

/**
 * Starts the built gateway on `configYaml` (written to `<workDir>/storeguard.yaml`) and resolves
 * once it logs "gateway started". `brokerUrl`: the external broker the config names, null for the
 * embedded one.
 */
export async function launchStoreGuard(
  name: string,
  configYaml: string,
  workDir: string,
  brokerUrl: string | null,
): Promise<StoreGuardContender> {
  mkdirSync(workDir, { recursive: true })
  const file = join(workDir, 'storeguard.yaml')
  writeFileSync(file, configYaml)
  const startedAt = performance.now()
  // BENCH_PROFILE=<dir>: a V8 CPU profile of the gateway per run, for `npm run bench:profile`-style digging
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []
  // BENCH_GATEWAY_NODE_ARGS="--max-old-space-size=96": try V8 settings on the gateway alone
  profile.push(...(process.env.BENCH_GATEWAY_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? []))
  const proc: ChildProcess = spawn(process.execPath, [...profile, CLI, 'run', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  let logBytes = 0
  for (const stream of [proc.stdout, proc.stderr]) {
    stream?.on('data', (chunk: Buffer | string) => {
      logBytes += Buffer.byteLength(chunk)
    })
  }
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  const started = await new Promise<{ api: string; mqttPort: number | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`StoreGuard did not start:\n${output.join('\n')}`)), 30_000)
    const onLine = (line: string) => {
      if (output.length < 200) output.push(line)
      if (!line.includes('"gateway started"')) return
      clearTimeout(timer)
      const entry = JSON.parse(line) as { api: string; mqttPort: number | null }
      resolve({ api: entry.api, mqttPort: entry.mqttPort })
    }
    for (const stream of [proc.stdout, proc.stderr]) if (stream) createInterface({ input: stream }).on('line', onLine)
    proc.once('exit', (code) => reject(new Error(`StoreGuard exited (${code}):\n${output.join('\n')}`)))
  })
  const startupMs = performance.now() - startedAt
  const pid = proc.pid ?? -1
  return {
    name,
    pid,
    mqttUrl: brokerUrl ?? `mqtt://127.0.0.1:${started.mqttPort}`,
    apiUrl: started.api,
    startupMs,
    rss: () => rssOf(pid),
    metrics: async () =>
      (await fetch(`${started.api}/metrics`, { headers: { authorization: `Bearer ${BENCH_API_TOKEN}` } })).text(),
    logBytes: () => logBytes,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

function deviceYaml(d: BenchDevice): string {
  switch (d.kind) {
    case 'json':
      return `  - { id: ${d.id}, type: temperature, zone: hall }`
    case 'z2m':
      return `  - { id: ${d.id}, type: heat, zone: backroom, mqtt: { topic: ${d.topic}, format: zigbee2mqtt } }`
    case 'leak':
      // a zone each: one flood alarm per zone, so every probe has an alarm of its own to time
      return `  - { id: ${d.id}, type: leak, zone: probe-${d.id} }`
  }
}

function benchConfig(options: Omit<ContenderOptions, 'brokerUrl'> & { readonly brokerUrl: string | null }): string {
  const broker =
    options.brokerUrl === null
      ? `broker:
  host: 127.0.0.1
  port: 0
  clients:
    - username: ${BENCH_CLIENT.username}
      passwordHash: ${hashSecret(BENCH_CLIENT.password)}
      publish: [${PREFIX}/devices/#, zigbee2mqtt/#]
      subscribe: [${PREFIX}/alarms/#]`
      : `broker:
  mode: external
  url: ${options.brokerUrl}`
  return `store:
  id: bench
  name: Bench store
  timeZone: Asia/Shanghai
${broker}
devices:
${options.devices.map(deviceYaml).join('\n')}
rules:
  flood: { clearHoldSec: 0 }
alarms: { chatterCycles: 1000000, chatterWindowSec: 1, floodCount: 1000000, floodWindowSec: 1 }
influx:
  enabled: true
  url: ${options.influxUrl}
  database: ${options.database}
  batchSize: 5000
  flushMs: 1000
  deviceStatusIntervalSec: 3600
  gatewayIntervalSec: 3600
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: bench, role: viewer, tokenHash: ${hashSecret(BENCH_API_TOKEN)} }
storage:
  dataDir: ${join(options.workDir, 'data')}
log:
  level: info
`
}
