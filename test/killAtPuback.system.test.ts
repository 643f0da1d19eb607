import { mkdirSync } from 'node:fs'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type Mosquitto, startMosquitto } from './support/mosquitto.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

const ROUNDS = 20

/**
 * Publishes `{"smoke":true}` at QoS 1 and SIGKILLs the gateway the moment
 * the device receives its PUBACK: from then on the device will never send
 * that message again, so whatever the gateway promised must already be safe.
 */
function publishAndKillAtPuback(device: MqttClient, topic: string, gateway: GatewayProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    device.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback') gateway.proc.kill('SIGKILL')
    })
    device.publish(topic, JSON.stringify({ smoke: true }), { qos: 1 }, (err) => (err ? reject(err) : resolve()))
  })
}

const fireAlarms = async (gateway: GatewayProcess) =>
  ((await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms as { kind: string }[]).filter(
    (a) => a.kind === 'fire',
  )

describe('a smoke alarm acknowledged to the device survives a SIGKILL at that PUBACK', () => {
  const dir = tempDir()
  const running: GatewayProcess[] = []
  const clients: MqttClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true)
    for (const g of running.splice(0)) await g.kill('SIGKILL')
  })
  afterAll(() => dir.remove())

  it(`on the embedded broker: the fire alarm is there after the restart, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const lost: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = `${dir.path}/embedded-${round}`
      mkdirSync(dataDir, { recursive: true })
      const first = await startGatewayProcess(dataDir, testStoreConfig(dataDir))
      running.push(first)
      const device = await connectClient(first.mqttUrl, 'smoke-hall-2', SECRETS.smokeHall2)
      clients.push(device)
      await publishAndKillAtPuback(device, `${PREFIX}/devices/smoke-hall-2/state`, first)
      expect(await first.exited).toBe('SIGKILL')
      await device.endAsync(true)

      const second = await startGatewayProcess(dataDir, testStoreConfig(dataDir))
      running.push(second)
      // no waiting: the alarm must come back from the journal, nobody sends it again
      if ((await fireAlarms(second)).length !== 1) lost.push(round)
      await second.kill('SIGKILL')
      running.splice(0)
      clients.splice(0)
    }
    expect(lost).toEqual([])
  }, 300_000)
})

describe('a smoke alarm published to an existing broker survives a SIGKILL of the gateway', () => {
  const dir = tempDir()
  let mosquitto: Mosquitto
  const running: GatewayProcess[] = []
  const clients: MqttClient[] = []
  beforeAll(async () => {
    mosquitto = await startMosquitto(dir.path, await freePort())
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.endAsync(true)
    for (const g of running.splice(0)) await g.kill('SIGKILL')
  })
  afterAll(async () => {
    await mosquitto?.stop()
    dir.remove()
  })

  /** A store of its own per round: its own persistent session on mosquitto, its own device topic. */
  const externalConfig = (round: number, dataDir: string) => `
store: { id: ack-${round}, locale: en }
broker: { mode: external, url: ${mosquitto.url} }
devices:
  - { id: smoke-${round}, type: smoke, zone: hall, mqtt: { topic: zigbee2mqtt/smoke_${round}, format: zigbee2mqtt } }
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: vera, role: viewer, tokenHash: ${hashSecret(SECRETS.viewer)} }]
storage: { dataDir: ${dataDir} }
`

  it(`on mosquitto: the restarted gateway gets the message again and raises the fire alarm, ${ROUNDS} times out of ${ROUNDS}`, async () => {
    const lost: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = `${dir.path}/external-${round}`
      mkdirSync(dataDir, { recursive: true })
      const first = await startGatewayProcess(dataDir, externalConfig(round, dataDir))
      running.push(first)
      const device = await connectClient(mosquitto.url, `smoke-${round}`, '')
      clients.push(device)
      await publishAndKillAtPuback(device, `zigbee2mqtt/smoke_${round}`, first)
      expect(await first.exited).toBe('SIGKILL')

      const second = await startGatewayProcess(dataDir, externalConfig(round, dataDir))
      running.push(second)
      // mosquitto kept the gateway's session: what it had not acknowledged comes again
      const alarms = await eventually(
        async () => ((await fireAlarms(second)).length > 0 ? fireAlarms(second) : undefined),
        60_000,
        'the fire alarm after the restart',
      ).catch(() => [])
      if (alarms.length !== 1) lost.push(round)
      for (const c of clients.splice(0)) await c.endAsync(true)
      for (const g of running.splice(0)) await g.kill('SIGKILL')
    }
    expect(lost).toEqual([])
  }, 400_000)
})
