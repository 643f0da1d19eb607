import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type CentralBroker, startCentralBroker } from './support/centralBroker.js'
import { type CentralRecording, recordCentral } from './support/centralRecorder.js'
import { checkCentralDelivery, type FleetStore, fleetStoreId, onEveryStore, startFleet } from './support/fleet.js'
import { type Influxd, startInfluxd } from './support/influxd.js'
import { tempDir } from './support/tempDir.js'

/** docs/requirements.md#fleet: a smaller count in CI; `npm run bench:fleet` runs 50. */
const FLEET_SIZE = 10
const KINDS = ['fire', 'flood', 'power_outage', 'terminal_fault']

describe('a chain of stores against one central broker and one InfluxDB', () => {
  const dir = tempDir()
  let central: CentralBroker | undefined
  let influxd: Influxd | undefined
  let stores: FleetStore[] = []

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.stop()))
    await central?.close()
    await influxd?.stop()
    dir.remove()
  })

  it(`${FLEET_SIZE} gateways, the central broker restarted mid-run: every alarm event once at the centre, every store in InfluxDB`, async () => {
    const ids = Array.from({ length: FLEET_SIZE }, (_, i) => fleetStoreId(i))
    central = await startCentralBroker(dir.path, [...ids, 'central'])
    influxd = await startInfluxd(join(dir.path, 'influxd'))
    const consumer: MqttClient = await central.connect('central', {
      clientId: 'fleet-consumer',
      clean: false,
      reconnectPeriod: 500,
    })
    const seen: CentralRecording = recordCentral(consumer)
    await consumer.subscribeAsync('storeguard/#', { qos: 1 })
    stores = await startFleet(dir.path, FLEET_SIZE, { centralUrl: central.url, influxUrl: influxd.url })

    await onEveryStore(stores, (s) => s.send('smoke-hall-1', { smoke: true }))
    await eventually(
      async () => (stores.every((s) => seen.events(s.id, 'alarm').length > 0) ? true : undefined),
      20_000,
      'the first alarm of every store at the centre',
    )

    await central.stop()
    await onEveryStore(stores, async (s) => {
      await s.send('leak-backroom-1', { water_leak: true })
      await s.send('ups-1', { mains_ok: false, on_battery: true })
    })
    await eventually(
      async () =>
        stores.every((s) => s.localEvents.filter((e) => e.type === 'alarm' && e.action === 'raised').length >= 3)
          ? true
          : undefined,
      20_000,
      'the alarms raised during the outage',
    )
    await onEveryStore(stores, (s) => s.ackAll())
    await new Promise((r) => setTimeout(r, 5000))
    await central.start()
    await onEveryStore(stores, (s) => s.send('terminal-1', { status: 'fault', fault_codes: 'printer' }))

    const delivery = await eventually(
      async () => {
        const raisedEverywhere = stores.every((s) =>
          KINDS.every((k) =>
            s.localEvents.some((e) => e.type === 'alarm' && e.action === 'raised' && e.alarm.kind === k),
          ),
        )
        const check = checkCentralDelivery(stores, seen)
        return raisedEverywhere && check.missing.length === 0 ? check : undefined
      },
      60_000,
      'every alarm event of every store at the centre',
    )
    expect(delivery.duplicated).toEqual([])
    expect(delivery.expected).toBeGreaterThanOrEqual(FLEET_SIZE * (KINDS.length + 3))

    // the downsampled telemetry: a summary per device per interval, numbers with their spread
    const summary = await eventually(
      async () => {
        const all = stores.map((s) =>
          seen.unique().find((m) => m.topic === `storeguard/${s.id}/telemetry/water-level-1`),
        )
        return all.every(Boolean) ? all[0] : undefined
      },
      30_000,
      'a telemetry summary from every store',
    )
    expect(summary?.json).toMatchObject({ deviceId: 'water-level-1', type: 'water_level' })
    expect(summary?.json.metrics.level_cm).toHaveProperty('mean')

    const influx = influxd.client('storeguard')
    const tagged = await eventually(
      async () => {
        const rows = await influx.query<{ value: string }>('SHOW TAG VALUES FROM "sensor" WITH KEY = "store"')
        const present = new Set(rows.map((r) => r.value))
        return ids.every((id) => present.has(id)) ? present : undefined
      },
      20_000,
      'sensor points of every store in InfluxDB',
    )
    expect([...tagged].sort()).toEqual(ids)
  }, 240_000)
})
