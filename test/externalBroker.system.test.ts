import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Mosquitto, startMosquitto } from './support/mosquitto.js'
import { connectClient, nextMessage, retainedAlarms } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE } from './support/testStore.js'

/** The test store, but on an existing broker (mosquitto) instead of the embedded one. */
function externalConfig(dataDir: string, brokerUrl: string): string {
  return `
store: { id: ${STORE}, locale: en }
broker: { mode: external, url: ${brokerUrl} }
devices:
  - { id: smoke-hall-1, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/smoke_hall_1 } }
  - { id: smoke-back-1, type: smoke, zone: backroom }
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: vera, role: viewer, tokenHash: ${hashSecret(SECRETS.viewer)} }]
storage: { dataDir: ${dataDir} }
`
}

const statusTopic = `${PREFIX}/gateway/status`

describe('on an existing MQTT broker (Debian mosquitto)', () => {
  const dir = tempDir()
  let mosquitto: Mosquitto
  let watcher: MqttClient
  let gateway: GatewayProcess | undefined

  beforeAll(async () => {
    mosquitto = await startMosquitto(dir.path, await freePort())
    watcher = await connectClient(mosquitto.url, 'watcher', '')
    await watcher.subscribeAsync(statusTopic, { qos: 1 })
  })
  afterAll(async () => {
    await watcher?.endAsync(true)
    await gateway?.kill('SIGKILL')
    await mosquitto?.stop()
    dir.remove()
  })

  it('announces itself online, raises a retained fire alarm, and its last will says offline after kill -9', async () => {
    const online = nextMessage(watcher, statusTopic, (p) => p.toString() === 'online')
    gateway = await startGatewayProcess(dir.path, externalConfig(dir.path, mosquitto.url))
    await online

    await watcher.publishAsync('zigbee2mqtt/smoke_hall_1', JSON.stringify({ smoke: true, battery: 90 }), { qos: 1 })
    const base = gateway.apiUrl
    const alarm = await eventually(async () => (await api(base, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms[0])
    expect(alarm).toMatchObject({ kind: 'fire', deviceId: 'smoke-hall-1' })

    const offline = nextMessage(watcher, statusTopic, (p) => p.toString() === 'offline')
    await gateway.kill('SIGKILL')
    await offline

    // restarted, it is online again and the alarm is still retained on the broker
    const backOnline = nextMessage(watcher, statusTopic, (p) => p.toString() === 'online')
    gateway = await startGatewayProcess(dir.path, externalConfig(dir.path, mosquitto.url))
    await backOnline
    const reader = await connectClient(mosquitto.url, 'reader', '')
    const retained = await retainedAlarms(reader, PREFIX)
    await reader.endAsync()
    expect(JSON.parse(retained.get(alarm.id) ?? '{}')).toMatchObject({ id: alarm.id, state: 'active_unacked' })
  })

  it('reports the broker down on /healthz while it is gone, then reconnects and reads devices again', async () => {
    const running = gateway as GatewayProcess
    await mosquitto.stop()
    await eventually(async () => ((await fetch(`${running.apiUrl}/healthz`)).status === 503 ? true : undefined), 10_000)

    mosquitto = await startMosquitto(dir.path, mosquitto.port)
    await eventually(async () => ((await fetch(`${running.apiUrl}/healthz`)).status === 200 ? true : undefined), 15_000)

    const device = await connectClient(mosquitto.url, 'smoke-back-1', '')
    await device.publishAsync(`${PREFIX}/devices/smoke-back-1/smoke`, 'true', { qos: 1 })
    await device.endAsync()
    const backroom = await eventually(async () => {
      const alarms = (await api(running.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms
      return alarms.find((a: { zone: string }) => a.zone === 'backroom')
    }, 10_000)
    expect(backroom).toMatchObject({ kind: 'fire', deviceId: 'smoke-back-1' })
  })
})
