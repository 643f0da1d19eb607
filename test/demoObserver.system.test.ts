import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { demoYaml } from './support/demoConfig.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient, nextMessage } from './support/mqttClient.js'
import { metricValue } from './support/prometheus.js'
import { REPO_ROOT } from './support/repoRoot.js'
import { tempDir } from './support/tempDir.js'

const PREFIX = 'storeguard/demo-store'

/** The login the banner's mosquitto_sub line gives, read back from the banner as a newcomer would. */
interface BannerLogin {
  readonly host: string
  readonly port: number
  readonly username: string
  readonly password: string
  readonly filter: string
}

function observerLine(output: readonly string[]): BannerLogin | undefined {
  const line = output.find((l) => l.includes('mosquitto_sub'))
  const m = /mosquitto_sub -h (\S+) -p (\d+) -u (\S+) -P (\S+) -t '([^']+)' -v/.exec(line ?? '')
  if (!m) return undefined
  const [, host = '', port = '', username = '', password = '', filter = ''] = m
  return { host, port: Number(port), username, password, filter }
}

describe("the demo's read-only observer login", () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let login: BannerLogin
  const clients: MqttClient[] = []
  const observer = async () => {
    const client = await connectClient(`mqtt://${login.host}:${login.port}`, login.username, login.password)
    clients.push(client)
    return client
  }
  const simulate = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'dist', 'gateway', 'cli.js'),
        'simulate',
        ...args,
        '--config',
        join(dir.path, 'storeguard.yaml'),
      ],
      { encoding: 'utf8', timeout: 15_000 },
    )

  /** The broker's count of refused publishes (its log line is rate-limited, the count is not). */
  const refusedPublishes = async (): Promise<number> => {
    const text: string = (await api(gateway.apiUrl, 'GET', '/metrics', 'demo-admin-token')).json
    return metricValue(text, 'storeguard_broker_refused_total', { reason: 'forbidden_publish' })
  }

  beforeAll(async () => {
    gateway = await startGatewayProcess(dir.path, demoYaml(dir.path, { modbus: await freePort() }))
    login = await eventually(async () => observerLine(gateway.output), 15_000, 'the mosquitto_sub line')
  })
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)))
    await gateway?.kill()
    dir.remove()
  })

  it("is printed in the banner: the running broker's port, and the store's topics", () => {
    expect(`mqtt://${login.host}:${login.port}`).toBe(gateway.mqttUrl)
    expect(login).toMatchObject({ username: 'observer', password: 'demo-observer', filter: `${PREFIX}/#` })
  })

  it("subscribes to the store's topics and sees the alarm a simulated fire raises", async () => {
    const client = await observer()
    const [granted] = await client.subscribeAsync(login.filter, { qos: 1 })
    expect(granted?.qos).toBe(1) // 128 would be a refusal
    const raised = nextMessage(client, `${PREFIX}/events`, (p) => {
      const e = JSON.parse(p.toString()) as { type: string; action?: string; alarm?: { kind: string } }
      return e.type === 'alarm' && e.action === 'raised' && e.alarm?.kind === 'fire'
    })
    // the simulator's port comes from the config; the test's copy has the broker on a free one
    const fire = simulate('fire', 'smoke-hall-1', '--broker', gateway.mqttUrl)
    expect(fire.status, fire.stderr).toBe(0)
    const event = JSON.parse((await raised).payload.toString()) as { alarm: { id: string } }
    // and whoever starts watching later is handed the open alarm, retained
    const later = await observer()
    const retained = nextMessage(later, `${PREFIX}/alarms/${event.alarm.id}`)
    await later.subscribeAsync(`${PREFIX}/alarms/#`, { qos: 1 })
    expect((await retained).retain).toBe(true)
    expect(JSON.parse((await retained).payload.toString())).toMatchObject({ kind: 'fire', deviceId: 'smoke-hall-1' })
  })

  // last in the file: a refused publish puts the observer's username into the broker's
  // back-off for forbidden publishes, so a later connect of it would be refused for that
  it('publishes nothing: a simulated smoke reading costs it the connection and raises nothing', async () => {
    // one publish: after a refusal the broker makes the login wait (broker.forbiddenBackoffSec); the
    // ACL's table test (gateway/broker/brokerAcl.test.ts) has the siren commands and simulator topics
    const before = await refusedPublishes()
    const client = await observer()
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
    client.publish('zigbee2mqtt/smoke_backroom_1', JSON.stringify({ smoke: true, battery: 90 }), { qos: 1 })
    await closed // MQTT 3.1.1 has no refusal for one PUBLISH: the broker closes the connection
    expect(await refusedPublishes()).toBe(before + 1)
    const alarms = (await api(gateway.apiUrl, 'GET', '/api/alarms', 'demo-manager-token')).json.alarms as {
      deviceId: string
    }[]
    expect(alarms.filter((a) => a.deviceId !== 'smoke-hall-1')).toEqual([])
  })
})
