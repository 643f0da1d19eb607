import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import { formatResidentMemory, inMegabytes, residentMemory } from '../gateway/memory/processMemory.js'
import { type Influxd, startInfluxd } from '../test/support/influxd.js'
import type { MemoryReport } from './idleProbe.js'
import { storeConfigYaml, storeDevices } from './storeFleet.js'

/**
 * Idle memory of the built gateway on a production-like store (docs/performance.md#idle-memory):
 * 40 MQTT devices of a store's mix, each with its own login, the embedded broker, InfluxDB on
 * against a real influxd on loopback, the API on, no demo simulator.
 *
 *   tsc -p tsconfig.bench.json && node dist/bench/idleMemory.js
 *
 * RSS is read 60 s after "gateway started" (the figure of docs/performance.md) and again at 150 s:
 * V8 gives back the pages its start-up used only once its memory reducer runs, at the latest 100 s
 * after the last GC. Then a full GC and the heap's own figures.
 *
 * Knobs: IDLE_WAIT_SEC (60,150: the RSS readings, s after start), IDLE_NODE_ARGS (V8 flags for the
 * gateway, e.g. "--max-old-space-size=96"), IDLE_SNAPSHOT=<dir> (a heap snapshot after the full GC,
 * for the breakdown by module).
 */

const DIST = join(import.meta.dirname, '..')
const CLI = join(DIST, 'gateway', 'cli.js')
const PROBE = join(import.meta.dirname, 'idleProbe.js')

async function startGateway(file: string, nodeArgs: readonly string[]): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [...nodeArgs, '--expose-gc', '--import', PROBE, CLI, 'run', '--config', file], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const output: string[] = []
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${output.join('\n')}`)), 60_000)
    const onLine = (line: string) => {
      if (output.length < 100) output.push(line)
      if (!line.includes('"gateway started"')) return
      clearTimeout(timer)
      resolve()
    }
    for (const stream of [proc.stdout, proc.stderr]) if (stream) createInterface({ input: stream }).on('line', onLine)
    proc.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${output.join('\n')}`)))
  })
  return proc
}

function askProbe(proc: ChildProcess, snapshotDir: string | undefined): Promise<MemoryReport> {
  return new Promise((resolve) => {
    proc.once('message', (m) => resolve(m as MemoryReport))
    proc.send({ snapshotDir: snapshotDir ?? null })
  })
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

async function main(): Promise<void> {
  const readAtSec = (process.env.IDLE_WAIT_SEC ?? '60,150').split(',').map(Number)
  const nodeArgs = process.env.IDLE_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? []
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-idle-'))
  let influxd: Influxd | null = null
  let proc: ChildProcess | null = null
  try {
    influxd = await startInfluxd(join(dir, 'influxd'))
    mkdirSync(join(dir, 'data'))
    const file = join(dir, 'storeguard.yaml')
    // the store-load scenario's store (bench/README.md "Store load"): one production-like store for both
    const longestWaitSec = Math.max(...readAtSec)
    writeFileSync(
      file,
      storeConfigYaml({
        influxUrl: influxd.url,
        database: 'storeguard',
        dataDir: join(dir, 'data'),
        devices: storeDevices(),
        // nothing connects while it idles: no supervision alarm may fire and make work to measure
        minHeartbeatSec: longestWaitSec + 60,
      }),
    )
    proc = await startGateway(file, nodeArgs)
    const pid = proc.pid ?? -1
    const startedAt = performance.now()
    const readings: string[] = []
    for (const sec of readAtSec) {
      await sleep(Math.max(0, sec * 1000 - (performance.now() - startedAt)))
      readings.push(`  RSS at ${sec} s: ${formatResidentMemory(residentMemory(pid))}`)
    }
    const report = await askProbe(proc, process.env.IDLE_SNAPSHOT)
    const after = inMegabytes(residentMemory(pid))
    const u = report.memoryUsage
    console.log(`Node ${process.version}, ${nodeArgs.join(' ') || 'default V8 flags'}`)
    for (const line of readings) console.log(line)
    console.log(
      `  after a full GC: RSS ${after.rss.toFixed(1)} MB, heap used ${mb(u.heapUsed)} MB of ${mb(u.heapTotal)}`,
    )
    console.log(`  external ${mb(u.external)} MB (array buffers ${mb(u.arrayBuffers)})`)
    for (const s of report.heapSpaces) {
      console.log(`  ${s.name.padEnd(26)} used ${mb(s.used).padStart(6)} MB  size ${mb(s.size).padStart(6)} MB`)
    }
    if (report.snapshot) console.log(`  heap snapshot: ${report.snapshot}`)
  } finally {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc?.once('exit', resolve))
      proc.kill('SIGTERM')
      await exited
    }
    await influxd?.stop()
    if (!process.env.IDLE_SNAPSHOT) rmSync(dir, { recursive: true, force: true })
  }
}

await main()
