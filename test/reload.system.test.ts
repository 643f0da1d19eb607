import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { metricValue } from './support/prometheus.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'
import { startWebhookReceiver } from './support/webhookReceiver.js'

const NEW_VIEWER_TOKEN = 'nina-viewer-token-8e21'
/** A leak sensor with its own login that publishes on a topic of its own, moved by the reload. */
const OWN_TOPIC_PASSWORD = 'leak-own-topic-pw-5b70'

type LogLine = { msg?: string; path?: string; applied?: string[]; restartNeeded?: string[]; result?: string }

/** The gateway's JSON log lines so far. */
function logLines(gateway: GatewayProcess): LogLine[] {
  return gateway.output.flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine]
    } catch {
      return []
    }
  })
}

describe('config reload on SIGHUP: the built gateway applies what it can and says what needs a restart', () => {
  const dir = tempDir()
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let gateway: GatewayProcess
  let bridge: MqttClient
  let file: string
  const OWN_TOPIC_HASH = hashSecret(OWN_TOPIC_PASSWORD)

  /** The store before the reload: a flood warning at 8 cm, the ops channel posting to /before, a leak sensor in the stockroom. */
  const startYaml = () =>
    `${testStoreConfig(dir.path, {
      extraDevices:
        '  - { id: leak-store-9, type: leak, zone: stockroom }\n' +
        `  - { id: leak-own-3, type: leak, zone: kitchen, mqtt: { topic: tele/old-3, passwordHash: "${OWN_TOPIC_HASH}" } }\n`,
    })}notifications:
  enabled: true
  groupWindowSec: 0
  channels:
    - { id: ops, kind: webhook, url: "${receiver.url}/before" }
  routes:
    - { channels: [ops] }
`.replace('flood: { warningCm: 2, criticalCm: 5', 'flood: { warningCm: 8, criticalCm: 10')

  /** Every kind of change at once: users, a threshold, devices, a channel, and the API port, which needs a restart. */
  const reloadedYaml = () =>
    startYaml()
      .replace('flood: { warningCm: 8, criticalCm: 10', 'flood: { warningCm: 2, criticalCm: 5')
      .replace(
        '  - { id: leak-store-9, type: leak, zone: stockroom }\n',
        '  - { id: leak-new-1, type: leak, zone: office }\n',
      )
      .replace('topic: tele/old-3', 'topic: tele/leak-3')
      .replace(`${receiver.url}/before`, `${receiver.url}/after`)
      .replace(/ {4}- \{ name: vera, role: viewer, tokenHash: [^}]+\}\n/, '')
      .replace(
        '  users:\n',
        `  users:\n    - { name: nina, role: viewer, tokenHash: ${hashSecret(NEW_VIEWER_TOKEN)} }\n`,
      )
      .replace('api:\n  host: 127.0.0.1\n  port: 0', 'api:\n  host: 127.0.0.1\n  port: 1')

  /** Writes the file, sends SIGHUP and waits for the log line that ends this reload. */
  async function reloadWith(yaml: string, ending: string): Promise<void> {
    const seen = logLines(gateway).filter((l) => l.msg === ending).length
    writeFileSync(file, yaml)
    gateway.proc.kill('SIGHUP')
    await eventually(
      async () => (logLines(gateway).filter((l) => l.msg === ending).length > seen ? true : undefined),
      30_000,
      `"${ending}" in the log`,
    )
  }

  const alarms = async () =>
    (await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.manager)).json.alarms as {
      kind: string
      zone: string
      state: string
    }[]
  const openIn = async (zone: string) =>
    (await alarms()).some((a) => a.kind === 'flood' && a.zone === zone) ? true : undefined
  const unknownDevices = async () => {
    const text = (await api(gateway.apiUrl, 'GET', '/metrics', SECRETS.manager)).json as string
    return metricValue(text, 'storeguard_rejected_messages_total', { reason: 'unknown_device' })
  }
  const publish = (deviceId: string, payload: object) =>
    bridge.publishAsync(`${PREFIX}/devices/${deviceId}/state`, JSON.stringify(payload), { qos: 1 })

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    file = join(dir.path, 'storeguard.yaml')
    gateway = await startGatewayProcess(dir.path, startYaml())
    bridge = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await gateway?.kill()
    await receiver?.close()
    dir.remove()
  })

  it('an invalid file changes nothing: every problem is logged with its path and the gateway keeps serving', async () => {
    const broken = `${startYaml().replace('flood: { warningCm: 8', 'flood: { warningCm: deep')}bogus: 1\n`
    await reloadWith(broken, 'config invalid: kept running on the old one')
    const paths = logLines(gateway)
      .filter((l) => l.msg === 'config problem')
      .map((l) => l.path)
    expect(paths).toEqual(expect.arrayContaining(['rules.flood.warningCm', 'bogus']))
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).status).toBe(200)
    expect(gateway.proc.exitCode).toBeNull()
    const health = (await api(gateway.apiUrl, 'GET', '/healthz', null)).json
    expect(health.config).toMatchObject({ lastReload: { result: 'invalid' }, restartPending: 0 })
  })

  it('before the reload: a 3 cm level is below the warning, and the stockroom leak raises an alarm posted to /before', async () => {
    await publish('water-level-1', { level_cm: 3 })
    // the device list shows the value once the rules have run on it
    await eventually(async () => {
      const devices = (await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.viewer)).json.devices
      const level = devices.find((d: { id: string }) => d.id === 'water-level-1')
      return level?.values.level_cm?.value === 3 ? true : undefined
    })
    expect(await openIn('entrance')).toBeUndefined()
    await publish('leak-store-9', { water_leak: true })
    await eventually(() => openIn('stockroom'), 15_000, 'the stockroom flood alarm')
    await eventually(async () => (receiver.received.some((r) => r.path === '/before') ? true : undefined))
  })

  it('a valid file is applied live, and the API port change is logged by path and not applied', async () => {
    await reloadWith(reloadedYaml(), 'config reloaded')
    const done = logLines(gateway).findLast((l) => l.msg === 'config reloaded')
    expect(done?.result).toBe('applied')
    expect(done?.applied).toEqual(
      expect.arrayContaining([
        'api.users',
        'rules.flood.warningCm',
        'devices[leak-store-9]',
        'devices[leak-new-1]',
        'devices[leak-own-3]',
        'notifications.channels',
      ]),
    )
    expect(done?.restartNeeded).toEqual(['api.port'])
    const warned = logLines(gateway).filter((l) => l.msg?.startsWith('config change needs a restart'))
    expect(warned.map((l) => l.path)).toEqual(['api.port'])
    // still on the port it started with, and saying a change waits for a restart
    const health = await api(gateway.apiUrl, 'GET', '/healthz', null)
    expect(health.status).toBe(200)
    expect(health.json.config).toMatchObject({ lastReload: { result: 'applied' }, restartPending: 1 })
  })

  it('a new token works and a removed one gets 401', async () => {
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', NEW_VIEWER_TOKEN)).status).toBe(200)
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.viewer)).status).toBe(401)
    expect((await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.staff)).status).toBe(200)
  })

  it('the lower flood warning takes effect: the same 3 cm now raises an alarm', async () => {
    await publish('water-level-1', { level_cm: 3 })
    await eventually(() => openIn('entrance'), 15_000, 'the entrance flood alarm')
  })

  it('the new device is read, and its alarm goes to the changed channel', async () => {
    await publish('leak-new-1', { water_leak: true })
    await eventually(() => openIn('office'), 15_000, 'the office flood alarm')
    const posted = await eventually(async () =>
      receiver.received.find((r) => r.path === '/after' && r.body.event?.alarm?.zone === 'office'),
    )
    expect(posted.body.event.alarm.kind).toBe('flood')
    expect(
      receiver.received.filter((r) => r.path === '/before').every((r) => r.body.event?.alarm?.zone !== 'office'),
    ).toBe(true)
  })

  it('the removed device is refused as unknown, and its open alarm stays open', async () => {
    const refusedBefore = await unknownDevices()
    await publish('leak-store-9', { water_leak: false })
    await eventually(async () => ((await unknownDevices()) > refusedBefore ? true : undefined), 15_000, 'the refusal')
    expect(await openIn('stockroom')).toBe(true)
    const listed = (await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.manager)).json.devices
    expect(listed.map((d: { id: string }) => d.id)).not.toContain('leak-store-9')
    expect(listed.map((d: { id: string }) => d.id)).toContain('leak-new-1')
  })

  it('a device moved to a topic of its own may publish there: the broker follows the reload', async () => {
    const device = await connectClient(gateway.mqttUrl, 'leak-own-3', OWN_TOPIC_PASSWORD)
    try {
      await device.publishAsync('tele/leak-3', JSON.stringify({ water_leak: true }), { qos: 1 })
      await eventually(() => openIn('kitchen'), 15_000, 'the kitchen flood alarm')
    } finally {
      await device.endAsync()
    }
  })
})
