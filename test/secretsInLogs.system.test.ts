// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the config refers to an environment variable as ${NAME}
import { spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { tempDir } from './support/tempDir.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'gateway', 'cli.js')
const STORE = 'secret-store'

/** Every secret the config holds, each a distinct string that must never be printed. */
const SECRETS = {
  dingSigning: 'SECenv-ding-signing-0001',
  dingToken: 'ding-access-token-0002',
  wecomKey: 'wecom-robot-key-0003',
  feishuHook: 'feishu-hook-token-0004',
  feishuSigning: 'feishu-signing-secret-0005',
  webhookQuery: 'webhook-query-token-0006',
  webhookHmac: 'webhook-hmac-key-0007',
  webhookBearer: 'webhook-bearer-0008',
  webhookApiKey: 'webhook-api-key-0009',
  smtpPassword: 'smtp-relay-password-0010',
  brokerPassword: 'broker-password-0011',
  bridgePassword: 'bridge-password-0012',
  influxPassword: 'influx-password-0013',
  influxUrlPassword: 'influx-url-password-0014',
} as const

/** A robot endpoint on loopback that is down: every request gets HTTP 500. */
async function startFailingRobot(): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    requests.push(req.url ?? '')
    req.resume()
    res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server }
}

function config(dataDir: string, robot: string, refused: string, extraChannelLine = ''): string {
  return `store: { id: ${STORE}, locale: en }
broker: { host: 127.0.0.1, port: 0, allowAnonymous: true, password: ${SECRETS.brokerPassword} }
api: { host: 127.0.0.1, port: 0 }
devices:
  - { id: leak-1, type: leak, zone: entrance }
storage: { dataDir: ${dataDir} }
log: { level: debug }
influx:
  enabled: false
  url: http://influx-user:${SECRETS.influxUrlPassword}@127.0.0.1:8086
  username: influx-user
  password: ${SECRETS.influxPassword}
bridge: { enabled: false, url: 'mqtts://127.0.0.1:8883', password: ${SECRETS.bridgePassword} }
notifications:
  enabled: true
  groupWindowSec: 0
  channels:
    - id: ding
      kind: dingtalk
      url: ${robot}/robot/send?access_token=${SECRETS.dingToken}
      secret: '\${SG_TEST_DING_SECRET}'${extraChannelLine}
    - { id: wecom, kind: wecom, url: '${robot}/cgi-bin/webhook/send?key=${SECRETS.wecomKey}' }
    - id: feishu
      kind: feishu
      url: ${refused}/open-apis/bot/v2/hook/${SECRETS.feishuHook}
      secret: ${SECRETS.feishuSigning}
    - id: hook
      kind: webhook
      url: ${robot}/in?token=${SECRETS.webhookQuery}
      secret: ${SECRETS.webhookHmac}
      headers: { Authorization: 'Bearer ${SECRETS.webhookBearer}', X-Api-Key: ${SECRETS.webhookApiKey} }
    - id: mail
      kind: email
      url: smtp://alarm:${SECRETS.smtpPassword}@${refused.replace('http://', '')}
      from: StoreGuard <alarm@store.test>
      to: [facilities@store.test]
  routes:
    - { channels: [ding, wecom, feishu, hook, mail] }
`
}

function expectNoSecretIn(text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) expect(text, `${name} was printed`).not.toContain(secret)
}

/**
 * Secrets are never logged, checked through the built gateway at debug level:
 * the startup dump of its config, deliveries failing against a robot that
 * answers 500 and one that refuses the connection, and a config error.
 */
describe('secrets in what the gateway prints', () => {
  const dir = tempDir()
  const env = { ...process.env, SG_TEST_DING_SECRET: SECRETS.dingSigning }
  let robot: Awaited<ReturnType<typeof startFailingRobot>>
  let refused: string
  let gateway: GatewayProcess

  beforeAll(async () => {
    robot = await startFailingRobot()
    refused = `http://127.0.0.1:${await freePort()}`
    process.env.SG_TEST_DING_SECRET = SECRETS.dingSigning
    gateway = await startGatewayProcess(dir.path, config(dir.path, robot.url, refused))
  })
  afterAll(async () => {
    await gateway?.kill()
    robot?.server.close()
    delete process.env.SG_TEST_DING_SECRET
    dir.remove()
  })

  it('logs its config at debug level with every secret blanked', () => {
    const dump = gateway.output.find((line) => line.includes('"config loaded"'))
    expect(dump).toBeDefined()
    const channels = JSON.parse(dump ?? '{}').config.notifications.channels
    expect(channels.find((c: { id: string }) => c.id === 'ding').secret).toBe('[redacted]')
    expect(channels.find((c: { id: string }) => c.id === 'hook').headers).toEqual({
      Authorization: '[redacted]',
      'X-Api-Key': '[redacted]',
    })
    expectNoSecretIn(gateway.output.join('\n'))
  })

  it('logs a failed delivery on every channel, a robot answering 500 or refusing the connection, without a secret', async () => {
    const device = await connectAsync(gateway.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000 })
    await device.publishAsync(`storeguard/${STORE}/devices/leak-1/state`, JSON.stringify({ water_leak: true }), {
      qos: 1,
    })
    await device.endAsync()
    const failed = await eventually(
      async () => {
        const channels = new Set(
          gateway.output
            .filter((line) => line.includes('"notification not delivered, will retry"'))
            .map((line) => JSON.parse(line).channel),
        )
        return ['ding', 'wecom', 'feishu', 'hook', 'mail'].every((c) => channels.has(c)) ? channels : undefined
      },
      15_000,
      'a failed delivery logged for every channel',
    )
    expect(failed.size).toBe(5)
    // the robot was really called with its token: the secret was used, just never printed
    expect(robot.requests.some((url) => url.includes(SECRETS.dingToken))).toBe(true)
    expectNoSecretIn(gateway.output.join('\n'))
  })

  it('stops, logging that too without a secret', async () => {
    expect(await gateway.kill('SIGTERM')).toBe(0)
    expect(gateway.output.some((line) => line.includes('"gateway stopped"'))).toBe(true)
    expectNoSecretIn(gateway.output.join('\n'))
  })

  it('reports a bad setting next to the secrets without printing one, from validate and from run', () => {
    const file = join(dir.path, 'bad.yaml')
    writeFileSync(file, config(dir.path, robot.url, refused, '\n      format: html\n      timeoutMs: 5'))
    for (const args of [
      ['validate', file],
      ['run', '--config', file],
    ]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000, env })
      expect(r.status, r.stderr).toBe(1)
      expect(r.stderr).toContain('notifications.channels[0].format')
      expectNoSecretIn(r.stdout + r.stderr)
    }
  })
})
