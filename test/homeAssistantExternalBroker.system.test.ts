import { once } from 'node:events'
import { createServer } from 'node:net'
import type { MqttClient } from 'mqtt'
import { afterAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { discoveryProblems } from './support/haDiscoveryValidator.js'
import { type Mosquitto, startMosquitto } from './support/mosquitto.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, STORE } from './support/testStore.js'

/** A store on an existing broker, with Home Assistant discovery on. */
function externalConfig(dataDir: string, brokerUrl: string, devices: readonly string[]): string {
  return `
store: { id: ${STORE}, locale: en }
broker: { mode: external, url: ${brokerUrl} }
homeassistant: { enabled: true }
devices:
${devices.map((d) => `  - { id: ${d}, type: smoke, zone: hall }`).join('\n')}
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: vera, role: viewer, tokenHash: ${hashSecret(SECRETS.viewer)} }]
storage: { dataDir: ${dataDir} }
`
}

const config = (id: string) => `homeassistant/binary_sensor/storeguard_${STORE}/${id}/config`

/** Accepts and drops every connection, so a client is seen trying to reach a broker that is down. */
async function refuser(port: number) {
  const server = createServer((socket) => {
    socket.destroy()
    server.emit('attempt')
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  return {
    attempted: once(server, 'attempt'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('Home Assistant discovery on an existing broker (Debian mosquitto)', () => {
  const dir = tempDir()
  let mosquitto: Mosquitto | undefined
  let gateway: GatewayProcess | undefined
  let watcher: MqttClient | undefined
  afterAll(async () => {
    await watcher?.endAsync(true)
    await gateway?.kill('SIGKILL')
    await mosquitto?.stop()
    dir.remove()
  })

  it('starts while the broker is down, and announces the devices once it is up', async () => {
    const port = await freePort()
    const down = await refuser(port)
    const starting = startGatewayProcess(
      dir.path,
      externalConfig(dir.path, `mqtt://127.0.0.1:${port}`, ['smoke-1', 'smoke-2']),
    )
    // the gateway is running and cannot reach its broker: only now does the broker come up
    await down.attempted
    await down.close()
    mosquitto = await startMosquitto(dir.path, port)
    gateway = await starting

    watcher = await connectClient(mosquitto.url, 'watcher', '')
    const seen = new Map<string, string>()
    watcher.on('message', (topic, payload) => seen.set(topic, payload.toString()))
    await watcher.subscribeAsync('homeassistant/#', { qos: 1 })
    await eventually(
      async () => (seen.has(config('smoke-1_smoke')) && seen.has(config('smoke-2_smoke')) ? true : undefined),
      15_000,
      'retained discovery on the broker',
    )
    const problems = [...seen].flatMap(([topic, payload]) => discoveryProblems(topic, JSON.parse(payload)))
    expect(problems).toEqual([])
    expect(gateway.proc.exitCode).toBeNull()
  })

  it('clears the retained discovery of a device the next config leaves out', async () => {
    if (!gateway || !mosquitto || !watcher) throw new Error('the first test starts the store')
    const seen: { topic: string; payload: string }[] = []
    watcher.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }))
    await gateway.kill('SIGTERM')
    gateway = await startGatewayProcess(dir.path, externalConfig(dir.path, mosquitto.url, ['smoke-1']))
    await eventually(
      async () => (seen.some((m) => m.topic === config('smoke-2_smoke') && m.payload === '') ? true : undefined),
      15_000,
      'smoke-2 cleared',
    )
    expect(seen.filter((m) => m.topic === config('smoke-1_smoke') && m.payload === '')).toEqual([])
  })
})
