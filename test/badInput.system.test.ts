import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

/** The value of one labelled counter in the Prometheus text, 0 when absent. */
function counter(metricsText: string, name: string, labels: string): number {
  const line = metricsText.split('\n').find((l) => l.startsWith(`${name}{${labels}}`))
  return line ? Number(line.split(' ').pop()) : 0
}

describe('bad device input is dropped, counted and logged, and never stops the gateway', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let bridge: MqttClient

  beforeAll(async () => {
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
    return counter(text, 'storeguard_rejected_messages_total', `reason="${reason}"`)
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
    await eventually(async () => ((await rejected(reason)) === before + 1 ? true : undefined), 5000, reason)
  })

  it('an oversized message is refused by the broker and counted', async () => {
    const refusedBefore = await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)
    const before = counter(refusedBefore.json, 'storeguard_broker_refused_total', 'reason="oversized"')
    const big = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge, { clientId: 'big-sender' })
    big.publish(`${PREFIX}/devices/smoke-hall-2/state`, JSON.stringify({ smoke: false, pad: 'x'.repeat(8000) }))
    await eventually(async () => {
      const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
      return counter(text, 'storeguard_broker_refused_total', 'reason="oversized"') > before ? true : undefined
    })
    big.end(true)
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
