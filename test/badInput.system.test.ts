import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { metricValue } from './support/prometheus.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

describe('bad device input is dropped, counted and logged, and never stops the gateway', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let bridge: MqttClient
  let startedAt = 0

  beforeAll(async () => {
    startedAt = Date.now()
    gateway = await startGatewayProcess(dir.path, testStoreConfig(dir.path))
    bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await gateway?.kill()
    dir.remove()
  })

  async function rejected(reason: string): Promise<number> {
    const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
    return metricValue(text, 'storeguard_rejected_messages_total', { reason })
  }

  it.each([
    ['malformed_json', 'smoke-hall-2/state', '{"smoke": tru'],
    ['not_an_object', 'smoke-hall-2/state', '[true]'],
    ['wrong_type', 'smoke-hall-2/state', '{"smoke": "maybe"}'],
    ['unknown_metric', 'smoke-hall-2/colour', 'red'],
    ['unknown_device', 'ghost-9/state', '{"smoke": true}'],
    ['empty', 'smoke-hall-2/smoke', ''],
  ])('%s: counted per reason', async (reason, topic, payload) => {
    const before = await rejected(reason)
    await bridge.publishAsync(`${PREFIX}/devices/${topic}`, payload, { qos: 1 })
    await eventually(async () => ((await rejected(reason)) === before + 1 ? true : undefined), 15_000, reason)
  })

  it('an oversized message is refused by the broker and counted', async () => {
    const refusedBefore = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    const before = metricValue(refusedBefore.json, 'storeguard_broker_refused_total', { reason: 'oversized' })
    const big = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge, { clientId: 'big-sender' })
    big.publish(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ smoke: false, pad: 'x'.repeat(8000) }))
    await eventually(async () => {
      const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
      return metricValue(text, 'storeguard_broker_refused_total', { reason: 'oversized' }) > before ? true : undefined
    })
    big.end(true)
  })

  it('a flood of bad messages is counted one by one, and logged at most once per reason per window', async () => {
    const flood = 40
    const unknownBefore = await rejected('unknown_device')
    const wrongTypeBefore = await rejected('wrong_type')
    await Promise.all(
      Array.from({ length: flood }, (_, i) => [
        // made-up device ids: the limiter is keyed by reason, so they cannot multiply the log lines
        bridge.publishAsync(`${PREFIX}/devices/ghost-${i}/state`, '{"smoke": true}', { qos: 1 }),
        bridge.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, `{"smoke": "maybe-${i}"}`, { qos: 1 }),
      ]).flat(),
    )
    await eventually(
      async () =>
        (await rejected('unknown_device')) === unknownBefore + flood &&
        (await rejected('wrong_type')) === wrongTypeBefore + flood
          ? true
          : undefined,
      10_000,
      `${flood} more of each reason counted`,
    )

    // a refused login under a fresh name is always logged, after every line of the flood:
    // once it is read, so is everything the flood logged (stdout keeps the order)
    const marker = `log-marker-${Date.now()}`
    await expect(connectClient(gateway.mqttUrl, marker, 'wrong')).rejects.toThrow()
    await eventually(async () => (gateway.output.some((l) => l.includes(marker)) ? true : undefined), 15_000, 'marker')

    const linesFor = (reason: string) =>
      gateway.output.filter((l) => l.includes('"msg":"device message rejected"') && l.includes(`"reason":"${reason}"`))
    expect(linesFor('unknown_device').length).toBeGreaterThan(0)
    expect(linesFor('wrong_type').length).toBeGreaterThan(0)
    // one line per reason per 10 s window over the gateway's whole life, however slow this machine is
    const windows = 1 + Math.floor((Date.now() - startedAt) / 10_000)
    expect(linesFor('unknown_device').length).toBeLessThanOrEqual(windows)
    expect(linesFor('wrong_type').length).toBeLessThanOrEqual(windows)
    expect(windows).toBeLessThan(flood) // else the bound above would prove nothing
    expect(gateway.proc.exitCode).toBeNull()
  })

  it('after all that, a good reading still raises the alarm, and the log names the reasons', async () => {
    const device = await connectClient(gateway.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
    await device.publishAsync(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ smoke: true }), { qos: 1 })
    await device.endAsync()
    const alarm = await eventually(
      async () => (await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms[0],
    )
    expect(alarm).toMatchObject({ kind: 'fire', deviceId: 'smoke-hall-2' })
    expect(gateway.proc.exitCode).toBeNull()
    const warnings = gateway.output.filter((l) => l.includes('device message rejected'))
    expect(warnings.some((l) => l.includes('"reason":"malformed_json"'))).toBe(true)
  })
})
