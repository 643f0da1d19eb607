import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '../test/support/freePort.js'
import { nodeRedFlow } from './nodeRedFlow.js'
import { installNodeRed } from './nodeRedInstall.js'
import { rssOf } from './procStats.js'
import type { Contender, ContenderOptions } from './workload.js'

const START_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 5000
/** Printed by the settings file's logger once the flow's MQTT client is connected (and subscribing). */
const READY_MARKER = 'STOREGUARD_BENCH_NODE_RED_READY'
/** Output kept for error messages; Node-RED logs at warn, so this rarely fills. */
const OUTPUT_KEEP_CHARS = 64_000

export interface NodeRedContender extends Contender {
  /** Node-RED's version, e.g. 4.1.15. */
  readonly version: string
  /** The Node.js it runs on (this process's own). */
  readonly nodeVersion: string
  /** node-red-contrib-influxdb's version. */
  readonly influxNodeVersion: string
}

/** InfluxDB 1.x creates nothing on write: the database must exist before the first batch. */
async function createDatabase(influxUrl: string, database: string): Promise<void> {
  const q = `CREATE DATABASE "${database.replace(/["\\]/g, '\\$&')}"`
  const res = await fetch(`${influxUrl}/query?q=${encodeURIComponent(q)}`, { method: 'POST' })
  const body = await res.text()
  if (!res.ok || body.includes('"error"')) throw new Error(`${q} on ${influxUrl} failed: ${res.status} ${body}`)
}

/**
 * The settings file (CommonJS, `.cjs` so a `"type": "module"` package.json
 * above the work dir cannot turn it into ESM). Headless: no editor, no admin
 * API, no HTTP nodes, so Node-RED listens on nothing of its own; console
 * logging at warn, plus a logger that prints READY_MARKER when the broker
 * connection is up (Node-RED logs that at info, below the console level).
 */
function settingsFile(userDir: string, uiPort: number): string {
  const plain = {
    uiHost: '127.0.0.1',
    uiPort,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    userDir,
    flowFile: 'flows.json',
    // no secret to prompt for or to generate: the flow holds no credentials
    credentialSecret: false,
    lang: 'en-US',
    telemetry: { enabled: false },
    diagnostics: { enabled: false, ui: false },
    runtimeState: { enabled: false, ui: false },
    functionExternalModules: false,
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  }
  return `module.exports = Object.assign(${JSON.stringify(plain, null, 2)}, {
  logging: {
    console: { level: 'warn', metrics: false, audit: false },
    storeguardReady: {
      level: 'info',
      metrics: false,
      audit: false,
      handler: () => (msg) => {
        if (msg.type === 'mqtt-broker' && /^Connected to broker/.test(String(msg.msg))) {
          process.stdout.write(${JSON.stringify(`${READY_MARKER}\n`)})
        }
      },
    },
  },
})
`
}

/**
 * Node-RED running the flow of bench/nodeRedFlow.ts against the broker and
 * influxd of the options, on this process's Node.js. Resolves once its MQTT
 * client is connected: Node-RED sends its SUBSCRIBEs in the same tick it logs
 * that, so a publisher connecting afterwards is not missed.
 */
export async function startNodeRed(options: ContenderOptions): Promise<NodeRedContender> {
  const install = await installNodeRed()
  await createDatabase(options.influxUrl, options.database)

  const userDir = join(options.workDir, 'node-red')
  mkdirSync(userDir, { recursive: true })
  writeFileSync(join(userDir, 'flows.json'), `${JSON.stringify(nodeRedFlow(options), null, 2)}\n`)
  const settings = join(userDir, 'settings.cjs')
  writeFileSync(settings, settingsFile(userDir, await freePort()))

  const child = spawn(process.execPath, [install.redJs, '--settings', settings, '--userDir', userDir], {
    cwd: userDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const pid = child.pid
  if (pid === undefined) throw new Error('could not spawn Node-RED')
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEEP_CHARS)
  }
  // both pipes are read for the whole run: a full pipe would stall Node-RED
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)

  try {
    await waitUntilReady(child, () => output)
  } catch (err) {
    await stopChild(child, exited)
    throw err
  }

  return {
    name: 'node-red',
    pid,
    version: install.version,
    nodeVersion: process.version,
    influxNodeVersion: install.influxNodeVersion,
    rss: () => rssOf(pid),
    stop: () => stopChild(child, exited),
  }
}

function waitUntilReady(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      cleanup()
      reject(new Error(`Node-RED ${why}:\n${output()}`))
    }
    const check = () => {
      const text = output()
      if (text.includes(READY_MARKER)) {
        cleanup()
        resolve()
      } else if (text.includes('Waiting for missing types')) {
        // Node-RED would wait forever for the InfluxDB node to be installed
        fail('is missing node types')
      }
    }
    const onExit = () => fail(`exited before its MQTT client connected (exit code ${child.exitCode})`)
    const timer = setTimeout(
      () => fail(`did not connect to the broker within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    )
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout?.off('data', check)
      child.stderr?.off('data', check)
      child.off('exit', onExit)
    }
    // registered after the output collector, so output() already holds the chunk
    child.stdout?.on('data', check)
    child.stderr?.on('data', check)
    child.once('exit', onExit)
  })
}

/** SIGTERM, SIGKILL after STOP_GRACE_MS; resolves once the process is gone. */
async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(killer)
}
