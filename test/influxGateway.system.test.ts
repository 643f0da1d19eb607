import { join } from 'node:path'
import type { InfluxDB } from 'influx'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Influxd, influxConfigYaml, startInfluxd } from './support/influxd.js'
import { connectClient } from './support/mqttClient.js'
import { makeServerCertificates } from './support/serverCertificates.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE, testStoreConfig } from './support/testStore.js'

// biome-ignore lint/suspicious/noExplicitAny: rows come back as InfluxDB returns them; each test asserts the columns it uses
type Row = Record<string, any>

/** Readings in the burst test; with the single messages, what the gateway has received before the health test. */
const BURST = 300
const MESSAGES_SENT = BURST + 2

/** The gateway's /metrics text. */
async function metricsText(gateway: GatewayProcess): Promise<string> {
  return (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
}

/** The sum of a metric's samples (all label sets) on /metrics; NaN when it is not there. */
function metricValue(text: string, name: string, labels = ''): number {
  const samples = text
    .split('\n')
    .filter((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name}{`)))
    .map((l) => Number(l.split(' ').pop()))
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0)
}

describe('the running gateway writes its documented points to InfluxDB', () => {
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
      15_000,
      query,
    )

  beforeAll(async () => {
    influxd = await startInfluxd(dir.path)
    db = influxd.client('storeguard')
    // tickets resolve themselves once the terminal has been healthy for a second (docs/requirements.md#resolution-and-sla-record)
    const config =
      testStoreConfig(dir.path) +
      influxConfigYaml(influxd.url, { deviceStatusIntervalSec: 0.5, gatewayIntervalSec: 0.5 }) +
      'tickets: { autoResolve: true, settleSec: 1 }\n'
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
    const [raised] = await rows(`SELECT * FROM alarm WHERE "action" = 'raised' AND kind = 'fire'`)
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

  it('a self-service terminal fault opens a ticket, stored as a ticket point tagged with store, device and zone', async () => {
    await bridge.publishAsync(
      `${PREFIX}/devices/terminal-1/state`,
      JSON.stringify({ status: 'fault', fault_codes: 'printer' }),
      { qos: 1 },
    )
    const [opened] = await rows(`SELECT * FROM ticket WHERE "action" = 'opened'`)
    expect(opened).toMatchObject({ store: STORE, device: 'terminal-1', zone: 'self-service', status: 'open', open: 1 })
    expect(opened?.ticket_id).toEqual(expect.any(String))
    expect(opened?.due_in_sec).toBeGreaterThan(0)
    expect(opened?.sla_met ?? null).toBeNull() // no SLA record while it is open

    // healthy again: the fault clears after its settle time, the ticket after tickets.settleSec
    await bridge.publishAsync(`${PREFIX}/devices/terminal-1/state`, JSON.stringify({ status: 'ok', fault_codes: '' }), {
      qos: 1,
    })
    const [resolved] = await rows(`SELECT * FROM ticket WHERE "action" = 'resolved'`)
    expect(resolved).toMatchObject({
      store: STORE,
      device: 'terminal-1',
      zone: 'self-service',
      ticket_id: opened?.ticket_id,
      status: 'resolved',
      open: 0,
      sla_met: true,
    })
    // fault settle (2 s) and ticket settle (1 s) at least; business time depends on the store's hours now
    expect(resolved?.wall_repair_sec).toBeGreaterThanOrEqual(3)
    expect(resolved?.business_repair_sec).toEqual(expect.any(Number))
    expect(resolved?.business_repair_sec).toBeLessThanOrEqual(resolved?.wall_repair_sec)
  })

  it('the gateway reports its own health as the gateway measurement and on /metrics', async () => {
    // a message no decoder takes: the rejected count must show it
    await bridge.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, '{"smoke": tru', { qos: 1 })
    // a sample taken after every message above, the bad one included
    const [health] = await rows(
      `SELECT * FROM gateway WHERE messages_in >= ${MESSAGES_SENT} AND rejected >= 1 ORDER BY time DESC LIMIT 1`,
    )
    expect(health).toMatchObject({ store: STORE, buffer_points: 0, buffer_age_sec: 0, rejected: 1 })
    expect(health?.write_latency_ms).toBeGreaterThan(0)
    expect(health?.event_loop_lag_ms).toEqual(expect.any(Number))
    expect(health?.uptime_sec).toBeGreaterThan(0)
    expect(health?.heap_used_mb).toBeGreaterThan(1)
    expect(health?.rss_mb).toBeGreaterThan(10)
    expect(health?.open_alarms).toBeGreaterThanOrEqual(1)
    // the burst went by between two samples: at least one of them saw readings arrive
    const [busiest] = await rows('SELECT max(readings_per_sec) AS peak FROM gateway')
    expect(busiest?.peak).toBeGreaterThan(0)

    const metrics = await metricsText(gateway)
    expect(metrics).toMatch(/^storeguard_influx_buffer_points 0$/m)
    expect(metrics).toMatch(/^storeguard_influx_buffer_age_seconds 0$/m)
    expect(metrics).toMatch(/^storeguard_influx_up 1$/m)
    expect(metricValue(metrics, 'storeguard_influx_write_latency_seconds')).toBeGreaterThan(0)
    expect(metrics).toContain('# TYPE storeguard_influx_dropped_points_total counter')
    expect(metricValue(metrics, 'storeguard_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
    expect(metricValue(metrics, 'storeguard_process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024)
    expect(metricValue(metrics, 'storeguard_mqtt_messages_in_total')).toBeGreaterThanOrEqual(MESSAGES_SENT + 1)
    expect(metricValue(metrics, 'storeguard_readings_total', '{type="smoke"}')).toBeGreaterThanOrEqual(BURST)
    expect(metricValue(metrics, 'storeguard_rejected_messages_total', '{reason="malformed_json"}')).toBe(1)
  })
})

describe('the running gateway and an https InfluxDB', () => {
  const dir = tempDir()
  // next to the config file (dir/storeguard.yaml): the config names them by relative paths
  const certs = makeServerCertificates(join(dir.path, 'certs'))
  let influxd: Influxd
  const running: { gateway: GatewayProcess; bridge: MqttClient }[] = []
  const start = async (ca: string) => {
    const config =
      testStoreConfig(dir.path) +
      influxConfigYaml(influxd.url, { database: 'tls', ca, deviceStatusIntervalSec: 3600, gatewayIntervalSec: 3600 })
    const gateway = await startGatewayProcess(dir.path, config)
    const bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
    running.push({ gateway, bridge })
    return { gateway, bridge }
  }
  const temperature = (bridge: MqttClient, value: number) =>
    bridge.publishAsync(`${PREFIX}/devices/heat-back-1/state`, JSON.stringify({ temperature: value }), { qos: 1 })

  beforeAll(async () => {
    influxd = await startInfluxd(dir.path, { tls: certs })
  })
  afterAll(async () => {
    for (const { gateway, bridge } of running) {
      await bridge.endAsync()
      await gateway.kill()
    }
    await influxd?.stop()
    dir.remove()
  })

  it('trusting another CA it is refused and keeps the readings on disk; with influx.ca right they land over https', async () => {
    const wrong = await start('certs/other-ca.crt')
    await temperature(wrong.bridge, 21)
    await eventually(
      async () =>
        metricValue(await metricsText(wrong.gateway), 'storeguard_influx_buffer_points') === 1 ? true : undefined,
      15_000,
      'the reading in the disk buffer',
    )
    expect(metricValue(await metricsText(wrong.gateway), 'storeguard_influx_up')).toBe(0)
    const refused = wrong.gateway.output.find((l) => l.includes('InfluxDB unreachable'))
    expect(refused).toMatch(/certificate/i)
    await wrong.bridge.endAsync()
    expect(await wrong.gateway.kill()).toBe(0)

    // the operator fixes influx.ca and restarts the gateway on the same data dir
    const right = await start('certs/ca.crt')
    await temperature(right.bridge, 22)
    const stored = await eventually(
      async () => {
        const found = await influxd
          .client('tls')
          .query<{ temperature: number }>(`SELECT temperature FROM sensor WHERE device = 'heat-back-1'`)
        return found.length >= 2 ? found : undefined
      },
      15_000,
      'both readings in InfluxDB',
    )
    expect(stored.map((r) => r.temperature)).toEqual([21, 22])
    expect(metricValue(await metricsText(right.gateway), 'storeguard_influx_up')).toBe(1)
  })
})
