import { afterAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Mosquitto, startMosquitto } from './support/mosquitto.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, STORE } from './support/testStore.js'

describe('an existing MQTT broker that is down when the gateway starts', () => {
  const dir = tempDir()
  let mosquitto: Mosquitto | undefined
  let gateway: GatewayProcess | undefined

  afterAll(async () => {
    await gateway?.kill('SIGKILL')
    await mosquitto?.stop()
    dir.remove()
  })

  it('starts and serves the API, then reads devices once the broker is up, and stops cleanly', async () => {
    const port = await freePort()
    gateway = await startGatewayProcess(
      dir.path,
      `
store: { id: ${STORE}, locale: en }
broker: { mode: external, url: mqtt://127.0.0.1:${port} }
devices:
  - { id: smoke-hall-1, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/smoke_hall_1 } }
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: vera, role: viewer, tokenHash: ${hashSecret(SECRETS.viewer)} }]
storage: { dataDir: ${dir.path} }
`,
    )
    const running = gateway
    expect((await fetch(`${running.apiUrl}/healthz`)).status).toBe(503)

    mosquitto = await startMosquitto(dir.path, port)
    await eventually(async () => ((await fetch(`${running.apiUrl}/healthz`)).status === 200 ? true : undefined), 15_000)
    const device = await connectClient(mosquitto.url, 'smoke-hall-1', '')
    await device.publishAsync('zigbee2mqtt/smoke_hall_1', JSON.stringify({ smoke: true, battery: 90 }), { qos: 1 })
    await device.endAsync()
    const alarm = await eventually(async () => {
      const alarms = (await api(running.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms
      return alarms.find((a: { deviceId: string }) => a.deviceId === 'smoke-hall-1')
    }, 15_000)
    expect(alarm).toMatchObject({ kind: 'fire', zone: 'hall' })

    expect(await running.kill('SIGTERM')).toBe(0)
  })
})
