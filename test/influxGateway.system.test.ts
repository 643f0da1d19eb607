import type { InfluxDB } from 'influx'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Influxd, influxConfigYaml, startInfluxd } from './support/influxd.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE, testStoreConfig } from './support/testStore.js'

// biome-ignore lint/suspicious/noExplicitAny: rows come back as InfluxDB returns them; each test asserts the columns it uses
type Row = Record<string, any>

/** Readings in the burst test; with the two single messages, what the gateway has received before the health test. */
const BURST = 300
const MESSAGES_SENT = BURST + 2

describe('the running gateway writes SPEC §7 points to InfluxDB', () => {
  const dir = tempDir()
  let influxd: Influxd
  let gateway: GatewayProcess
  let bridge: MqttClient
  let db: InfluxDB
  const rows = (query: string, minimum = 1) =>
    eventually(
      async () => {
        const found = (await db.query<Row>(query)) as Row[]
        return found.length >= minimum ? found : undefined
      },
      8000,
      query,
    )

  beforeAll(async () => {
    influxd = await startInfluxd(dir.path)
    db = influxd.client('storeguard')
    const config =
      testStoreConfig(dir.path) +
      influxConfigYaml(influxd.url, { deviceStatusIntervalSec: 0.5, gatewayIntervalSec: 0.5 })
    gateway = await startGatewayProcess(dir.path, config)
    bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await gateway?.kill()
    await influxd?.stop()
    dir.remove()
  })

  it('a reading is stored as a sensor point tagged with store, device, type and zone, one field per metric', async () => {
    await bridge.publishAsync(
      `${PREFIX}/devices/heat-back-1/state`,
      JSON.stringify({ temperature: 23.5, battery: 81, linkquality: 120 }),
      { qos: 1 },
    )
    const [point] = await rows(`SELECT * FROM sensor WHERE device = 'heat-back-1'`)
    expect(point).toMatchObject({
      store: STORE,
      device: 'heat-back-1',
      type: 'heat',
      zone: 'backroom',
      temperature: 23.5,
      battery: 81,
      linkquality: 120,
    })
  })

  it('a burst of readings from one device, all in flight at once, is stored reading by reading, in order', async () => {
    // the gateway stamps readings on receipt (ms): a burst lands several in one millisecond,
    // and InfluxDB would keep only the last of each same-ms pair
    const n = BURST
    await Promise.all(
      Array.from({ length: n }, (_, k) =>
        bridge.publishAsync(`${PREFIX}/devices/smoke-hall-1/state`, JSON.stringify({ linkquality: k }), { qos: 1 }),
      ),
    )
    const stored = await rows(`SELECT linkquality FROM sensor WHERE device = 'smoke-hall-1'`, n)
    expect(stored.map((r) => r.linkquality)).toEqual(Array.from({ length: n }, (_, k) => k))
  })

  it('an alarm change is stored as an alarm point tagged with kind, severity, device and zone', async () => {
    await bridge.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ smoke: true }), { qos: 1 })
    const [raised] = await rows(`SELECT * FROM alarm WHERE "action" = 'raised'`)
    expect(raised).toMatchObject({
      store: STORE,
      kind: 'fire',
      severity: 'critical',
      device: 'smoke-hall-2',
      zone: 'hall',
      open: 1,
      silent: false,
    })
    expect(raised?.alarm_id).toEqual(expect.any(String))
  })

  it('device status carries battery and link quality from the latest values, and the transport', async () => {
    const [status] = await rows(`SELECT * FROM device_status WHERE device = 'heat-back-1' AND online = 1`)
    expect(status).toMatchObject({
      store: STORE,
      type: 'heat',
      zone: 'backroom',
      transport: 'mqtt',
      status: 'ok',
      fault: 0,
      battery: 81,
      linkquality: 120,
    })
    expect(status?.last_seen_age_sec).toBeGreaterThanOrEqual(0)
    const [never] = await rows(`SELECT * FROM device_status WHERE device = 'ups-1'`)
    expect(never).toMatchObject({ online: 0, type: 'power', zone: 'backroom' })
  })

  it('the gateway reports its own health as the gateway measurement and on /metrics', async () => {
    // a sample taken after every message above, the fire alarm's included
    const [health] = await rows(
      `SELECT * FROM gateway WHERE messages_in >= ${MESSAGES_SENT} ORDER BY time DESC LIMIT 1`,
    )
    expect(health).toMatchObject({ store: STORE, buffer_points: 0 })
    for (const field of ['readings_per_sec', 'rejected', 'write_latency_ms', 'event_loop_lag_ms', 'uptime_sec']) {
      expect(health?.[field]).toBeGreaterThanOrEqual(0)
    }
    expect(health?.heap_used_mb).toBeGreaterThan(1)
    expect(health?.rss_mb).toBeGreaterThan(10)
    expect(health?.open_alarms).toBeGreaterThanOrEqual(1)

    const metrics = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
    expect(metrics).toMatch(/^storeguard_influx_buffer_points 0$/m)
    expect(metrics).toMatch(/^storeguard_influx_buffer_age_seconds 0$/m)
    expect(metrics).toMatch(/^storeguard_influx_up 1$/m)
    expect(metrics).toMatch(/^storeguard_influx_write_latency_seconds [0-9.e-]+$/m)
    expect(metrics).toContain('# TYPE storeguard_influx_dropped_points_total counter')
  })
})
