import { mkdirSync } from 'node:fs'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Influxd, influxConfigYaml, startInfluxd } from './support/influxd.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

/** Readings per second the device sends, each its own QoS 1 message. */
const RATE = 500
/** About a minute of readings at RATE during the outage, half of them before the kill. */
const OUTAGE_READINGS = 30_000
const TOPIC = `${PREFIX}/devices/smoke-hall-2/state`
/** linkquality carries the reading's number; above the low-link threshold so no fault alarms join in. */
const OFFSET = 1000

async function gauge(gateway: GatewayProcess, name: string): Promise<number> {
  const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}

/**
 * A device sending RATE readings a second at QoS 1, numbered across the test;
 * `acked` holds the numbers the gateway acknowledged — the ones it promised.
 * The pace is load, not an assertion: under CPU pressure it only runs slower.
 */
function startDevice(client: MqttClient, next: { n: number }, acked: Set<number>) {
  const timer = setInterval(() => {
    for (let k = 0; k < RATE / 100; k++) {
      const n = next.n++
      client.publish(TOPIC, JSON.stringify({ linkquality: OFFSET + n }), { qos: 1 }, (err) => {
        if (!err) acked.add(n)
      })
    }
  }, 10)
  return { stop: () => clearInterval(timer) }
}

describe('telemetry acknowledged during an InfluxDB outage survives a SIGKILL', () => {
  const dir = tempDir()
  let influxd: Influxd
  const running: GatewayProcess[] = []
  const clients: MqttClient[] = []
  beforeAll(async () => {
    influxd = await startInfluxd(dir.path)
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true)
    for (const g of running.splice(0)) await g.kill('SIGKILL')
  })
  afterAll(async () => {
    await influxd?.stop()
    dir.remove()
  })

  it(`${RATE} readings/s at QoS 1, InfluxDB away for about a minute, the gateway killed in the middle: every acknowledged reading lands`, async () => {
    const dataDir = `${dir.path}/gateway`
    mkdirSync(dataDir, { recursive: true })
    // the production flush interval: what is in memory between two flushes is what a kill could lose
    const config =
      testStoreConfig(dataDir) +
      influxConfigYaml(influxd.url, {
        database: 'acked',
        flushMs: 1000,
        deviceStatusIntervalSec: 3600,
        gatewayIntervalSec: 3600,
      })
    const acked = new Set<number>()
    const next = { n: 0 }
    const ackedSince = (from: number) => [...acked].filter((n) => n >= from).length

    const first = await startGatewayProcess(dataDir, config)
    running.push(first)
    const before = await connectClient(first.mqttUrl, 'bridge', SECRETS.bridge)
    clients.push(before)
    const deviceBefore = startDevice(before, next, acked)
    await eventually(async () => (acked.size >= RATE ? true : undefined), 60_000, 'a second of readings')

    await influxd.stop()
    const outageFrom = next.n
    await eventually(
      async () => ((await gauge(first, 'storeguard_influx_up')) === 0 ? true : undefined),
      60_000,
      'the gateway to see InfluxDB down',
    )
    await eventually(
      async () => (ackedSince(outageFrom) >= OUTAGE_READINGS / 2 ? true : undefined),
      180_000,
      'half the outage readings acknowledged',
    )
    first.proc.kill('SIGKILL')
    deviceBefore.stop()
    expect(await first.exited).toBe('SIGKILL')
    await before.endAsync(true)

    const second = await startGatewayProcess(dataDir, config)
    running.push(second)
    const after = await connectClient(second.mqttUrl, 'bridge', SECRETS.bridge)
    clients.push(after)
    const deviceAfter = startDevice(after, next, acked)
    await eventually(
      async () => (ackedSince(outageFrom) >= OUTAGE_READINGS ? true : undefined),
      180_000,
      'the rest of the outage readings acknowledged',
    )
    await influxd.start()
    const resumedFrom = next.n
    await eventually(async () => (ackedSince(resumedFrom) >= RATE ? true : undefined), 60_000, 'readings after it')
    deviceAfter.stop()
    await after.endAsync()

    const expected = [...acked].sort((a, b) => a - b)
    const stored = async () =>
      new Set(
        (
          await influxd
            .client('acked')
            .query<{ linkquality: number }>(`SELECT linkquality FROM sensor WHERE device = 'smoke-hall-2'`)
        ).map((r) => r.linkquality - OFFSET),
      )
    const landed = await eventually(
      async () => {
        const s = await stored()
        return expected.every((n) => s.has(n)) ? s : undefined
      },
      180_000,
      'every acknowledged reading in InfluxDB',
    ).catch(() => stored())
    const lost = expected.filter((n) => !landed.has(n))
    expect({ acknowledged: expected.length, lost: lost.length, firstLost: lost.slice(0, 10) }).toEqual({
      acknowledged: expected.length,
      lost: 0,
      firstLost: [],
    })
  }, 900_000)
})
