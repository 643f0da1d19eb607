import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/support/freePort.js'
import { type Influxd, startInfluxd } from '../test/support/influxd.js'
import { type Mosquitto, startMosquitto } from '../test/support/mosquitto.js'
import { waitLanded } from './influxCount.js'
import { connectPublishers, publishFlat } from './load.js'
import { formatStalls, watchStalls } from './loopStalls.js'
import { BENCH_CLIENT, startStoreGuard } from './storeguard.js'
import { benchDevices } from './workload.js'

const READINGS = Number(process.env.BENCH_READINGS ?? 100_000)
const BROKER = process.env.COST_BROKER ?? 'embedded'
const INFLUX_DOWN = process.env.COST_INFLUX === 'down'
const QOS = Number(process.env.COST_QOS ?? 1) as 0 | 1
/** Linux reports utime and stime in clock ticks; 100 per second on every kernel the gateway runs on. */
const TICKS_PER_SEC = 100

/** utime + stime of a process, in seconds (fields 14 and 15 of /proc/<pid>/stat). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC
}

/**
 * What ingest costs the gateway, independent of how busy the machine is: CPU
 * seconds of the gateway process per 100 000 readings (QoS 1 by default),
 * with InfluxDB up (`COST_INFLUX=up`) or unreachable so that every reading
 * goes through the disk buffer (`COST_INFLUX=down`), on the embedded broker
 * or mosquitto (`COST_BROKER=external`). Rates on a shared 2-core machine
 * move ±30 % from run to run (bench/README.md); CPU time per reading does not.
 * `node dist/bench/ingestCost.js`; the longest event-loop tasks come from the
 * gateway's /metrics.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-cost-'))
  const devices = benchDevices(200).filter((d) => d.kind !== 'leak')
  let influxd: Influxd | null = null
  let mosquitto: Mosquitto | null = null
  try {
    influxd = await startInfluxd(join(dir, 'influxd'))
    if (BROKER === 'external')
      mosquitto = await startMosquitto(dir, await freePort(), [
        'max_queued_messages 0',
        'max_inflight_messages 1000',
        'set_tcp_nodelay true',
      ])
    const influxUrl = INFLUX_DOWN ? `http://127.0.0.1:${await freePort()}` : influxd.url
    const sg = await startStoreGuard({
      influxUrl,
      devices: benchDevices(200),
      brokerUrl: mosquitto?.url ?? null,
      database: 'cost',
      workDir: join(dir, 'sg'),
    })
    try {
      await new Promise((r) => setTimeout(r, 2000))
      const publishers = await connectPublishers(sg.mqttUrl, 4, mosquitto ? null : BENCH_CLIENT)
      // a scrape starts the gateway's since-last-scrape maxima afresh, so the next one covers this run only
      let scraped = ''
      const stalls = await watchStalls(async () => {
        scraped = await sg.metrics()
        return scraped
      })
      const cpu0 = cpuSecondsOf(sg.pid)
      const t0 = performance.now()
      await publishFlat(publishers, devices, READINGS, QOS)
      let landed = READINGS
      if (!INFLUX_DOWN) landed = (await waitLanded(influxd.url, 'cost', READINGS)).landed
      const cpu = cpuSecondsOf(sg.pid) - cpu0
      const ms = performance.now() - t0
      await publishers.close()
      const window = await stalls.close()
      const lag = /^storeguard_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(scraped)?.[1]
      process.stdout.write(
        `${BROKER} broker, InfluxDB ${INFLUX_DOWN ? 'down' : 'up'}, QoS ${QOS}: ${READINGS} readings (${landed} landed) in ${(ms / 1000).toFixed(1)} s; gateway CPU ${cpu.toFixed(2)} s = ${((cpu / READINGS) * 100_000).toFixed(2)} s per 100 000 readings\n  event-loop stalls: ${formatStalls(window)} (monitorEventLoopDelay max since the previous scrape: ${lag === undefined ? '—' : (Number(lag) * 1000).toFixed(1)} ms)\n`,
      )
    } finally {
      await sg.stop()
    }
  } finally {
    await mosquitto?.stop()
    await influxd?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`cost run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exitCode = 1
})
