import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually } from '../test/support/api.js'
import { type CentralBroker, startCentralBroker } from '../test/support/centralBroker.js'
import { recordCentral } from '../test/support/centralRecorder.js'
import { checkCentralDelivery, type FleetStore, fleetStoreId, onEveryStore, startFleet } from '../test/support/fleet.js'
import { type Influxd, startInfluxd } from '../test/support/influxd.js'
import { rssOf } from './procStats.js'

/** Knobs, from the environment like the main bench. */
const SIZE = Number(process.env.FLEET_SIZE ?? 50)
const OUTAGE_SEC = Number(process.env.FLEET_OUTAGE_SEC ?? 30)
const STEADY_SEC = Number(process.env.FLEET_STEADY_SEC ?? 30)
const TELEMETRY_SEC = Number(process.env.FLEET_TELEMETRY_SEC ?? 60)
const TARGET_STORES = 5000
const MB = 1024 * 1024

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Messages the centre received per second, from the counts of received messages at two moments. */
function rate(fromCount: number, toCount: number, seconds: number): number {
  return (toCount - fromCount) / seconds
}

/**
 * docs/requirements.md#fleet: `SIZE` gateways as separate processes, each with its own store
 * id and simulated devices, against one Mosquitto (the shipped central config)
 * and one influxd; the central broker is stopped for `OUTAGE_SEC` mid-run.
 * Checks every alarm event of every store arrived once after deduplication
 * and every store's points are in InfluxDB, and reports the central message
 * rate and what it implies for a chain of 5 000 stores.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'storeguard-fleet-'))
  let central: CentralBroker | null = null
  let influxd: Influxd | null = null
  let stores: FleetStore[] = []
  try {
    const ids = Array.from({ length: SIZE }, (_, i) => fleetStoreId(i))
    central = await startCentralBroker(dir, [...ids, 'central'])
    influxd = await startInfluxd(join(dir, 'influxd'))
    const consumer = await central.connect('central', {
      clientId: 'fleet-consumer',
      clean: false,
      reconnectPeriod: 500,
    })
    const seen = recordCentral(consumer)
    await consumer.subscribeAsync('storeguard/#', { qos: 1 })

    const startAt = Date.now()
    stores = await startFleet(dir, SIZE, {
      centralUrl: central.url,
      influxUrl: influxd.url,
      telemetryIntervalSec: TELEMETRY_SEC,
    })
    const startupSec = (Date.now() - startAt) / 1000
    console.log(`${SIZE} gateways started in ${startupSec.toFixed(1)} s`)

    // steady state: simulated devices, telemetry summaries, no alarms
    await sleep(5000)
    const steadyFrom = seen.all.length
    await sleep(STEADY_SEC * 1000)
    const steadyRate = rate(steadyFrom, seen.all.length, STEADY_SEC)

    await onEveryStore(stores, (s) => s.send('smoke-hall-1', { smoke: true }))
    await central.stop()
    const outageFrom = Date.now()
    await onEveryStore(stores, async (s) => {
      await s.send('leak-backroom-1', { water_leak: true })
      await s.send('ups-1', { mains_ok: false, on_battery: true })
    })
    await sleep(2000)
    await onEveryStore(stores, (s) => s.ackAll())
    await sleep(Math.max(0, OUTAGE_SEC * 1000 - (Date.now() - outageFrom)))
    const beforeRestart = seen.all.length
    const restartAt = Date.now()
    await central.start()
    await onEveryStore(stores, (s) => s.send('terminal-1', { status: 'fault', fault_codes: 'printer' }))

    const delivery = await eventually(
      async () => {
        const check = checkCentralDelivery(stores, seen)
        return check.missing.length === 0 && check.expected >= SIZE * 7 ? check : undefined
      },
      180_000,
      'every alarm event of every store at the centre',
    )
    const drainSec = (Date.now() - restartAt) / 1000
    const drainRate = rate(beforeRestart, seen.all.length, drainSec)
    const rows = await influxd
      .client('storeguard')
      .query<{ value: string }>('SHOW TAG VALUES FROM "sensor" WITH KEY = "store"')
    const inInflux = new Set(rows.map((r) => r.value))
    const rss = stores.map((s) => rssOf(s.gateway.proc.pid ?? 0))
    const rawAlarmEvents = seen.all.filter((m) => m.topic.endsWith('/events') && m.json?.type === 'alarm').length

    const perStore = steadyRate / SIZE
    const lines = [
      '',
      `Fleet: ${SIZE} gateways, central Mosquitto stopped ${OUTAGE_SEC} s mid-run, one influxd`,
      `  start-up of all gateways           ${startupSec.toFixed(1)} s`,
      `  alarm events (stores)              ${delivery.expected}`,
      `  at the centre after dedup          ${delivery.expected - delivery.missing.length} (missing ${delivery.missing.length}, duplicated ${delivery.duplicated.length})`,
      `  raw alarm events at the centre     ${rawAlarmEvents} (copies removed by msgId: ${rawAlarmEvents - (delivery.expected - delivery.missing.length)})`,
      `  stores with points in InfluxDB     ${ids.filter((id) => inInflux.has(id)).length} / ${SIZE}`,
      `  all delivered after restart in     ${drainSec.toFixed(1)} s (${drainRate.toFixed(0)} msg/s meanwhile)`,
      `  steady central rate                ${steadyRate.toFixed(1)} msg/s (${perStore.toFixed(3)} per store; telemetry summary every ${TELEMETRY_SEC} s)`,
      `  → for ${TARGET_STORES} stores                ~${(perStore * TARGET_STORES).toFixed(0)} msg/s steady; a restart of the centre replays each store's queue`,
      `  gateway RSS                        median ${(median(rss) / MB).toFixed(0)} MB, max ${(Math.max(...rss) / MB).toFixed(0)} MB`,
      '',
    ]
    console.log(lines.join('\n'))
    if (delivery.missing.length > 0 || delivery.duplicated.length > 0 || inInflux.size < SIZE) process.exitCode = 1
  } finally {
    await Promise.all(stores.map((s) => s.stop()))
    await central?.close()
    await influxd?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
