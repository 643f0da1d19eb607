import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/support/freePort.js'
import { type Influxd, startInfluxd } from '../test/support/influxd.js'
import { type Mosquitto, startMosquitto } from '../test/support/mosquitto.js'
import { startCeiling } from './ceiling.js'
import { waitLanded } from './influxCount.js'
import { measureAlarmLatency } from './latency.js'
import { connectPublishers, publishFlat, publishPaced } from './load.js'
import { watchStalls } from './loopStalls.js'
import { startNodeRed } from './nodeRed.js'
import { cpuSecondsOf } from './procStats.js'
import { measureReplay } from './replay.js'
import { type ContenderResult, formatReport } from './report.js'
import { steadyRate } from './steadyRate.js'
import { BENCH_CLIENT, startStoreGuard } from './storeguard.js'
import { runStoreLoad } from './storeLoad.js'
import { formatStoreLoad } from './storeLoadReport.js'
import { BENCH_MOSQUITTO_CONFIG, type BenchDevice, benchDevices, type Contender } from './workload.js'

/** Knobs, from the environment so a quick run and a long one use the same command. */
const DEVICES = Number(process.env.BENCH_DEVICES ?? 200)
const READINGS = Number(process.env.BENCH_READINGS ?? 120_000)
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300)
const REPLAY_POINTS = Number(process.env.BENCH_REPLAY_POINTS ?? 300_000)
/** bench/README.md "Store load": its length in minutes (0 skips it), idle time, connection drops, where its data dir goes. */
const STORE_MINUTES = Number(process.env.BENCH_STORE_MINUTES ?? 10)
const STORE_IDLE_SEC = Number(process.env.BENCH_STORE_IDLE_SEC ?? 60)
const STORE_BLIP_SEC = Number(process.env.BENCH_STORE_BLIP_SEC ?? 60)
const STORE_DIR = process.env.BENCH_STORE_DIR
const PUBLISHERS = 4
const MB = 1024 * 1024

interface Started {
  readonly contender: Contender
  readonly mqttUrl: string
  readonly login: { username: string; password: string } | null
  readonly startupMs: number | null
  readonly raisesAlarms: boolean
}

/**
 * docs/requirements.md#benchmarks: every contender on the same loopback broker and influxd, one
 * after the other, with the same workload (bench/workload.ts); prints the
 * table, the ratios and the targets. `npm run bench`.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-bench-'))
  const devices = benchDevices(DEVICES)
  const sensors = devices.filter((d) => d.kind !== 'leak')
  const probes = devices.filter((d) => d.kind === 'leak')
  let influxd: Influxd | null = null
  let mosquitto: Mosquitto | null = null
  try {
    influxd = await startInfluxd(join(dir, 'influxd'))
    mosquitto = await startMosquitto(dir, await freePort(), BENCH_MOSQUITTO_CONFIG)
    const influxUrl = influxd.url
    const brokerUrl = mosquitto.url
    const base = { influxUrl, devices }
    const contenders: [string, () => Promise<Started>][] = [
      [
        'StoreGuard',
        async () => {
          const sg = await startStoreGuard({
            ...base,
            brokerUrl,
            database: 'sg_external',
            workDir: join(dir, 'sg-ext'),
          })
          return { contender: sg, mqttUrl: brokerUrl, login: null, startupMs: sg.startupMs, raisesAlarms: true }
        },
      ],
      [
        'StoreGuard (embedded broker)',
        async () => {
          const sg = await startStoreGuard({
            ...base,
            brokerUrl: null,
            database: 'sg_embedded',
            workDir: join(dir, 'sg-emb'),
          })
          return {
            contender: sg,
            mqttUrl: sg.mqttUrl,
            login: BENCH_CLIENT,
            startupMs: sg.startupMs,
            raisesAlarms: true,
          }
        },
      ],
      [
        'Node-RED',
        async () => {
          const nr = await startNodeRed({ ...base, brokerUrl, database: 'node_red', workDir: join(dir, 'node-red') })
          log(`Node-RED ${nr.version} on Node ${nr.nodeVersion}`)
          return { contender: nr, mqttUrl: brokerUrl, login: null, startupMs: null, raisesAlarms: true }
        },
      ],
      [
        'ceiling (mqtt.js → line protocol → HTTP)',
        async () => {
          const c = await startCeiling({ ...base, brokerUrl, database: 'ceiling', workDir: join(dir, 'ceiling') })
          return { contender: c, mqttUrl: brokerUrl, login: null, startupMs: null, raisesAlarms: false }
        },
      ],
    ]
    const only = process.env.BENCH_ONLY?.split(',')
    const results: ContenderResult[] = []
    for (const [name, start] of contenders) {
      if (only && !only.some((o) => name.toLowerCase().startsWith(o.toLowerCase()))) continue
      log(`— ${name}`)
      results.push(await benchOne(name, await start(), influxUrl, sensors, probes))
    }
    log('— replay from the disk buffer')
    const replay = await measureReplay(influxUrl, 'replay', join(dir, 'replay'), REPLAY_POINTS)
    const storeLoad = STORE_MINUTES > 0 ? await storeLoadRun(influxd.url, dir) : null
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GiB, Node ${process.version}, ${DEVICES} devices, ${READINGS} readings per ingest run`
    process.stdout.write(`\n${formatReport(results, replay, machine)}\n`)
    if (storeLoad) process.stdout.write(`\n${formatStoreLoad(storeLoad, STORE_MINUTES, STORE_BLIP_SEC)}\n`)
  } finally {
    await mosquitto?.stop()
    await influxd?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The store-load scenario, in BENCH_STORE_DIR when set (a disk, for the write figures), else in the bench's own dir. */
async function storeLoadRun(influxUrl: string, benchDir: string) {
  log(`— store load (${STORE_MINUTES} min after ${STORE_IDLE_SEC} s idle)`)
  const parent = STORE_DIR === undefined ? benchDir : mkdtempSync(join(STORE_DIR, 'storeguard-store-load-'))
  try {
    return await runStoreLoad(
      {
        influxUrl,
        workDir: join(parent, 'store-load'),
        minutes: STORE_MINUTES,
        idleSec: STORE_IDLE_SEC,
        blipEverySec: STORE_BLIP_SEC,
        readingEverySec: 5,
      },
      log,
    )
  } finally {
    if (STORE_DIR !== undefined) rmSync(parent, { recursive: true, force: true })
  }
}

async function benchOne(
  name: string,
  started: Started,
  influxUrl: string,
  sensors: readonly BenchDevice[],
  probes: readonly BenchDevice[],
): Promise<ContenderResult> {
  const { contender, mqttUrl, login } = started
  const database = databaseOf(name)
  let peak = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, contender.rss())
  }, 100)
  try {
    await new Promise((r) => setTimeout(r, 3000))
    const rssAt3s = contender.rss()
    const publishers = await connectPublishers(mqttUrl, PUBLISHERS, login)
    let sent = 0
    let landedTotal = 0
    const ingest = async (qos: 0 | 1) => {
      const before = (await waitLanded(influxUrl, database, 0)).landed
      // the count is polled while the load is published too: the steady rate needs the whole run
      const landing = waitLanded(influxUrl, database, before + READINGS)
      const cpu0 = cpuSecondsOf(contender.pid)
      const t0 = performance.now()
      await publishFlat(publishers, sensors, READINGS, qos)
      const publishSec = (performance.now() - t0) / 1000
      sent += READINGS
      const { landed, at, samples } = await landing
      const cpuSec = cpuSecondsOf(contender.pid) - cpu0
      landedTotal += landed - before
      const endToEnd = ((landed - before) / (at - t0)) * 1000
      const steady = steadyRate(samples, before, READINGS, t0)
      const cpuMsPer1000 = (cpuSec * 1e6) / Math.max(1, landed - before)
      log(
        `  ingest QoS ${qos}: ${steady === null ? '— (the count never reached 90 %)' : Math.round(steady)} readings/s to 90 % landed, ${Math.round(endToEnd)} first publish → last landed (${landed - before} of ${READINGS} landed; published at ${Math.round(READINGS / publishSec)}/s); CPU ${cpuMsPer1000.toFixed(1)} ms per 1000 readings, busy ${((cpuSec / ((at - t0) / 1000)) * 100).toFixed(0)} % of one core`,
      )
      // landing as fast as the generator published: the contender may be faster than this bench can tell
      const publishedPerSec = READINGS / publishSec
      return {
        perSec: steady ?? endToEnd,
        steady: steady !== null,
        cpuMsPer1000,
        generatorBound: (steady ?? 0) >= 0.9 * publishedPerSec,
      }
    }
    const qos0 = await ingest(0)
    const qos1 = await ingest(1)
    const max = Math.min(qos0.perSec, qos1.perSec)
    const latencyAt = async (share: number) => {
      if (!started.raisesAlarms) return null
      const background = publishPaced(publishers, sensors, max * share, 0)
      await new Promise((r) => setTimeout(r, 1000))
      const read = contender.metrics
      const stalls = read ? await watchStalls(read) : null
      const latency = await measureAlarmLatency(mqttUrl, login, probes, LATENCY_SAMPLES)
      const result = { ...latency, stalls: (await stalls?.close()) ?? null }
      background.stop()
      log(
        `  alarm latency at ${share * 100} % (${Math.round(max * share)}/s): p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, lost ${result.lost}`,
      )
      // let the background load drain before the next figure
      await new Promise((r) => setTimeout(r, 2000))
      return result
    }
    const latency50 = await latencyAt(0.5)
    const latency90 = await latencyAt(0.9)
    await publishers.close()
    return {
      name,
      ingestQos0: qos0.perSec,
      ingestQos1: qos1.perSec,
      cpuMsPer1000: [qos0.cpuMsPer1000, qos1.cpuMsPer1000],
      generatorBound: [qos0.generatorBound, qos1.generatorBound],
      steady: [qos0.steady, qos1.steady],
      landedShare: sent === 0 ? 0 : landedTotal / sent,
      latency50,
      latency90,
      rssAt3sMb: rssAt3s / MB,
      rssPeakMb: peak / MB,
      startupMs: started.startupMs,
    }
  } finally {
    clearInterval(sampler)
    await contender.stop()
  }
}

const databaseOf = (name: string) =>
  name === 'StoreGuard'
    ? 'sg_external'
    : name.startsWith('StoreGuard')
      ? 'sg_embedded'
      : name === 'Node-RED'
        ? 'node_red'
        : 'ceiling'

function log(line: string): void {
  process.stderr.write(`${line}\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
