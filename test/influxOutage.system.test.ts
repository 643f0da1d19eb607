import { mkdirSync } from 'node:fs'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Influxd, influxConfigYaml, startInfluxd } from './support/influxd.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

/** A gauge's value on /metrics. */
async function gauge(gateway: GatewayProcess, name: string): Promise<number> {
  const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}

/**
 * The InfluxDB acceptance check (docs/requirements.md#no-data-loss): InfluxDB goes away while readings keep arriving and
 * comes back; the count in InfluxDB equals the count sent, in order per
 * series — also when the gateway is SIGKILLed during the outage (docs/requirements.md#no-data-loss).
 */
describe('no telemetry is lost while InfluxDB is down', () => {
  const dir = tempDir()
  let influxd: Influxd
  const running: GatewayProcess[] = []
  const clients: MqttClient[] = []
  let sent = 0

  const startGateway = async (dataDir: string, database: string) => {
    mkdirSync(dataDir, { recursive: true })
    // only readings: device status and health every hour, so the buffer holds exactly what was sent
    const config =
      testStoreConfig(dataDir) +
      influxConfigYaml(influxd.url, { database, deviceStatusIntervalSec: 3600, gatewayIntervalSec: 3600 })
    const gateway = await startGatewayProcess(dataDir, config)
    running.push(gateway)
    const bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
    clients.push(bridge)
    return { gateway, bridge }
  }
  /** n readings of two series (heat-back-1 and smoke-hall-2), at least 2 ms apart: the gateway stamps them on receipt (ms). */
  const send = async (bridge: MqttClient, n: number) => {
    for (let end = sent + n; sent < end; sent++) {
      await bridge.publishAsync(
        `${PREFIX}/devices/heat-back-1/state`,
        JSON.stringify({ temperature: 20 + sent / 1000 }),
        { qos: 1 },
      )
      await bridge.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ linkquality: 100 + sent }), {
        qos: 1,
      })
      await new Promise((r) => setTimeout(r, 2))
    }
  }
  const stored = async (database: string) => {
    const db = influxd.client(database)
    const heat = await db.query<{ temperature: number }>(`SELECT temperature FROM sensor WHERE device = 'heat-back-1'`)
    const smoke = await db.query<{ linkquality: number }>(
      `SELECT linkquality FROM sensor WHERE device = 'smoke-hall-2'`,
    )
    return {
      heat: heat.map((r) => Math.round((r.temperature - 20) * 1000)),
      smoke: smoke.map((r) => r.linkquality - 100),
    }
  }
  const allStored = (database: string, n: number) =>
    eventually(
      async () => {
        const s = await stored(database)
        return s.heat.length >= n && s.smoke.length >= n ? s : undefined
      },
      10_000,
      `${n} readings of each series in InfluxDB`,
    ).catch(async (err: unknown) => {
      // say what did land, and what the writer logged, instead of a bare timeout
      const s = await stored(database)
      const log = running.flatMap((g) => g.output.filter((l) => l.includes('"mod":"influx"')))
      throw new Error(`${String(err)}: ${s.heat.length} / ${s.smoke.length} stored; writer log:\n${log.join('\n')}`)
    })
  const sequence = (n: number) => Array.from({ length: n }, (_, k) => k)

  beforeAll(async () => {
    influxd = await startInfluxd(dir.path)
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync()
    for (const g of running.splice(0)) await g.kill('SIGKILL')
    if (!influxd.running) await influxd.start()
    sent = 0
  })
  afterAll(async () => {
    await influxd.stop()
    dir.remove()
  })

  it('influxd stopped while readings keep arriving and restarted: every reading lands, in order per series', async () => {
    const { gateway, bridge } = await startGateway(`${dir.path}/a`, 'outage')
    await send(bridge, 30)
    await allStored('outage', 30)

    await influxd.stop()
    await send(bridge, 60)
    await eventually(
      async () => ((await gauge(gateway, 'storeguard_influx_buffer_points')) === 120 ? true : undefined),
      15_000,
      'all outage readings in the disk buffer',
    )
    expect(await gauge(gateway, 'storeguard_influx_up')).toBe(0)
    // the oldest buffered reading waits longer with every scrape while influxd is away
    const age = await eventually(
      async () => {
        const seconds = await gauge(gateway, 'storeguard_influx_buffer_age_seconds')
        return seconds > 0 ? seconds : undefined
      },
      15_000,
      'a buffer age above zero',
    )
    await eventually(
      async () => ((await gauge(gateway, 'storeguard_influx_buffer_age_seconds')) > age ? true : undefined),
      15_000,
      'the buffer age growing',
    )

    await influxd.start()
    await send(bridge, 30) // while the probe finds influxd again and the buffer is replayed
    const s = await allStored('outage', 120)
    expect(s.heat).toEqual(sequence(120))
    expect(s.smoke).toEqual(sequence(120))
    expect(await gauge(gateway, 'storeguard_influx_buffer_points')).toBe(0)
    expect(await gauge(gateway, 'storeguard_influx_buffer_age_seconds')).toBe(0)
    expect(await gauge(gateway, 'storeguard_influx_up')).toBe(1)
  })

  it('the gateway SIGKILLed during the outage and restarted: the disk buffer survives and is replayed', async () => {
    const dataDir = `${dir.path}/b`
    const first = await startGateway(dataDir, 'outage_kill')
    await send(first.bridge, 20)
    await allStored('outage_kill', 20)
    await influxd.stop()
    await send(first.bridge, 40)
    await eventually(
      async () => ((await gauge(first.gateway, 'storeguard_influx_buffer_points')) === 80 ? true : undefined),
      15_000,
      'the outage readings in the disk buffer',
    )
    expect(await first.gateway.kill('SIGKILL')).toBe('SIGKILL')

    const second = await startGateway(dataDir, 'outage_kill')
    await send(second.bridge, 20) // still down: on top of the buffer
    await eventually(
      async () => ((await gauge(second.gateway, 'storeguard_influx_buffer_points')) === 120 ? true : undefined),
      15_000,
      'the buffer from before the kill and the new readings',
    )
    // the age counts from when the first gateway buffered, not from the restart
    expect(await gauge(second.gateway, 'storeguard_influx_buffer_age_seconds')).toBeGreaterThan(0)
    await influxd.start()
    const s = await allStored('outage_kill', 80)
    expect(s.heat).toEqual(sequence(80))
    expect(s.smoke).toEqual(sequence(80))
  })
})
