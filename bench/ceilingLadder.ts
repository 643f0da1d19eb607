/**
 * An independent check of the ceiling (bench/README.md "How the ingest rate is measured"): the
 * ceiling pipeline (bench/ceilingProcess.ts) on the bench's broker and influxd, fed at fixed rates
 * that go up step by step instead of in one burst. At each step: the rate the load generator
 * really offered, the rate that landed in InfluxDB over the second half of the step, and the
 * readings not yet landed when the step ended. The highest step whose landed rate keeps pace
 * with what was offered is the pipeline's sustained rate.
 *
 * `tsc -p tsconfig.bench.json && node dist/bench/ceilingLadder.js`; knobs LADDER_RATES
 * (readings/s, comma-separated), LADDER_STEP_SEC (10), LADDER_QOS (0).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/support/freePort.js'
import { type Influxd, startInfluxd } from '../test/support/influxd.js'
import { type Mosquitto, startMosquitto } from '../test/support/mosquitto.js'
import { startCeiling } from './ceiling.js'
import { countLanded, waitLanded } from './influxCount.js'
import { connectPublishers, publishPaced } from './load.js'
import { BENCH_MOSQUITTO_CONFIG, benchDevices, type Contender } from './workload.js'

const RATES = (process.env.LADDER_RATES ?? '40000,50000,55000,60000,65000,70000,80000').split(',').map(Number)
const STEP_SEC = Number(process.env.LADDER_STEP_SEC ?? 10)
const QOS = Number(process.env.LADDER_QOS ?? 0) === 1 ? 1 : 0
/** Landed ÷ offered at or above this over the second half of a step: the pipeline kept pace. */
const KEPT_PACE = 0.97
const DATABASE = 'ceiling_ladder'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const log = (line: string) => process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-ladder-'))
  let influxd: Influxd | null = null
  let mosquitto: Mosquitto | null = null
  let ceiling: Contender | null = null
  try {
    influxd = await startInfluxd(join(dir, 'influxd'))
    mosquitto = await startMosquitto(dir, await freePort(), BENCH_MOSQUITTO_CONFIG)
    const devices = benchDevices(200)
    const sensors = devices.filter((d) => d.kind !== 'leak')
    const options = { brokerUrl: mosquitto.url, influxUrl: influxd.url, devices, workDir: join(dir, 'ceiling') }
    ceiling = await startCeiling({ ...options, database: DATABASE })
    const publishers = await connectPublishers(mosquitto.url, 4, null)
    log(`ceiling rate ladder, QoS ${QOS}, ${STEP_SEC} s a step`)
    let sustained = 0
    for (const rate of RATES) {
      const step = await runStep(influxd.url, publishers, sensors, rate)
      const kept = step.landedPerSec >= KEPT_PACE * step.offeredPerSec
      if (kept) sustained = Math.max(sustained, step.landedPerSec)
      log(
        `  ${rate}/s asked: ${Math.round(step.offeredPerSec)}/s offered, ${Math.round(step.landedPerSec)}/s landed in the second half, ${step.behind} not yet landed at the end${kept ? '' : '  ← fell behind'}`,
      )
    }
    await publishers.close()
    log(`sustained: ${Math.round(sustained)} readings/s`)
  } finally {
    await ceiling?.stop()
    await mosquitto?.stop()
    await influxd?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function runStep(
  influxUrl: string,
  publishers: Awaited<ReturnType<typeof connectPublishers>>,
  sensors: Parameters<typeof publishPaced>[1],
  rate: number,
) {
  const before = await countLanded(influxUrl, DATABASE)
  const t0 = performance.now()
  const paced = publishPaced(publishers, sensors, rate, QOS)
  await sleep((STEP_SEC * 1000) / 2)
  const midAt = performance.now()
  const mid = await countLanded(influxUrl, DATABASE)
  await sleep((STEP_SEC * 1000) / 2)
  const endAt = performance.now()
  const end = await countLanded(influxUrl, DATABASE)
  const sent = paced.stop()
  const offeredPerSec = sent / ((performance.now() - t0) / 1000)
  // the next step starts from an empty pipe
  await waitLanded(influxUrl, DATABASE, before + sent)
  return { offeredPerSec, landedPerSec: ((end - mid) / (endAt - midAt)) * 1000, behind: before + sent - end }
}

main().catch((err: unknown) => {
  process.stderr.write(`ladder failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
