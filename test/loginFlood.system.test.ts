import { randomBytes } from 'node:crypto'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { parser } from 'mqtt-packet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectPacket } from './support/mqttPackets.js'
import { tempDir } from './support/tempDir.js'

/*
 * Sign-ins against the built gateway while one loopback address floods it
 * with wrong secrets (Linux routes all of 127/8 to lo, so each test address
 * is a distinct peer). Nothing here is timed: every step waits for an answer,
 * and work is compared through the gateway's own counters.
 */

const SECRETS = {
  admin: `admin-${randomBytes(16).toString('hex')}`,
  manager: `manager-${randomBytes(16).toString('hex')}`,
  console: 'console-password-6b1f',
  smoke: 'smoke-1-password-93ad',
}
const LEGIT = '127.0.0.1'

function config(dataDir: string): string {
  return `
store: { id: flood-store, locale: en }
broker:
  host: 127.0.0.1
  port: 0
  # the floods here hold hundreds of logins open from one address at once: this file is
  # about the password checker, and the per-address connection cap (tested with the
  # broker's other limits) would otherwise close most of them before they are checked
  maxConnectionsPerIp: 1000
  maxConnections: 1000
  clients:
    - { username: console, passwordHash: ${hashSecret(SECRETS.console)}, subscribe: ['storeguard/flood-store/alarms/#'] }
devices:
  - { id: smoke-1, type: smoke, zone: hall, mqtt: { passwordHash: ${hashSecret(SECRETS.smoke)} } }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: root, role: admin, tokenHash: ${hashSecret(SECRETS.admin)} }
    - { name: mia, role: manager, tokenHash: ${hashSecret(SECRETS.manager)} }
storage: { dataDir: ${dataDir} }
`
}

interface Answer {
  readonly status: number
  readonly retryAfter: string | undefined
  readonly body: string
}

/** GET `path` with a bearer token, sent from `localAddress`. */
function get(baseUrl: string, path: string, token: string, localAddress: string, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      { headers: { authorization: `Bearer ${token}` }, localAddress, ...(agent ? { agent } : {}) },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => {
          const retryAfter = res.headers['retry-after']
          resolve({ status: res.statusCode ?? 0, retryAfter, body })
        })
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** `count` requests with distinct wrong tokens from `from`, and a promise of the first answer that is not 401. */
function tokenFlood(baseUrl: string, from: string, count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  let firstRefusal: (answer: Answer) => void = () => {}
  const refused = new Promise<Answer>((resolve) => {
    firstRefusal = resolve
  })
  const answers = Promise.all(
    Array.from({ length: count }, (_, i) =>
      get(baseUrl, '/api/devices', `wrong-${i}-${randomBytes(8).toString('hex')}`, from, agent).then((answer) => {
        if (answer.status !== 401) firstRefusal(answer)
        return answer
      }),
    ),
  ).finally(() => agent.destroy())
  return { refused, answers }
}

/** One MQTT CONNECT from `localAddress`; resolves with the CONNACK return code. */
function mqttConnect(port: number, localAddress: string, username: string, password: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress })
    const packets = parser({ protocolVersion: 4 })
    let code: number | undefined
    packets.on('packet', (packet) => {
      if (packet.cmd !== 'connack') return
      code = packet.returnCode ?? -1
      socket.end()
    })
    socket.on('data', (data) => packets.parse(data))
    socket.on('connect', () =>
      socket.write(
        connectPacket({ clientId: `c-${randomBytes(6).toString('hex')}`, username, password, keepalive: 0 }),
      ),
    )
    socket.on('error', reject)
    socket.on('close', () => (code === undefined ? reject(new Error('closed without CONNACK')) : resolve(code)))
  })
}

/** `count` CONNECTs with distinct wrong passwords from `from`, and a promise of the first CONNACK. */
function passwordFlood(port: number, from: string, count: number) {
  let first: (code: number) => void = () => {}
  const answered = new Promise<number>((resolve) => {
    first = resolve
  })
  const codes = Promise.all(
    Array.from({ length: count }, (_, i) =>
      mqttConnect(port, from, 'console', `wrong-${i}`).then((code) => {
        first(code)
        return code
      }),
    ),
  )
  return { answered, codes }
}

describe('logins hold under a flood of wrong secrets', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let mqttPort: number

  /** A counter's value on /metrics, read by the manager from the legitimate address. */
  async function metric(name: string, label: string): Promise<number> {
    const { status, body } = await get(gateway.apiUrl, '/metrics', SECRETS.manager, LEGIT)
    expect(status).toBe(200)
    const line = body.split('\n').find((l) => l.startsWith(`${name}{${label}}`))
    return line === undefined ? 0 : Number(line.split(' ').pop())
  }
  const refused = (reason: string) => metric('storeguard_broker_refused_total', `reason="${reason}"`)
  const mqttChecks = () => metric('storeguard_secret_checks_total', 'protocol="mqtt"')

  beforeAll(async () => {
    gateway = await startGatewayProcess(dir.path, config(dir.path))
    mqttPort = Number(new URL(gateway.mqttUrl).port)
  })
  afterAll(async () => {
    await gateway?.kill()
    dir.remove()
  })

  it('signs the manager in at the first try while 1 000 wrong tokens arrive from another address', async () => {
    const flood = tokenFlood(gateway.apiUrl, '127.0.0.2', 1_000)
    // the flood is being refused: the checker is as busy as it gets for that address
    expect((await flood.refused).status).toBe(429)
    const manager = await get(gateway.apiUrl, '/api/devices', SECRETS.manager, LEGIT)
    expect(manager.status).toBe(200)

    const answers = await flood.answers
    const unauthorized = answers.filter((a) => a.status === 401)
    const tooMany = answers.filter((a) => a.status === 429)
    expect(unauthorized.length + tooMany.length).toBe(1_000)
    expect(tooMany.length).toBeGreaterThan(0)
    for (const answer of tooMany) {
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1)
      expect(['auth_busy', 'auth_backoff']).toContain(JSON.parse(answer.body).error.code)
    }
    // 401 only for a token that was checked: every one cost a check against both users, and
    // the manager's token (second in the config) two more; nothing else was checked
    expect(await metric('storeguard_secret_checks_total', 'protocol="http"')).toBe(2 * unauthorized.length + 2)
    const rejected = (reason: string) => metric('storeguard_http_auth_rejected_total', `reason="${reason}"`)
    expect(await rejected('invalid_token')).toBe(unauthorized.length)
    expect((await rejected('busy')) + (await rejected('login_backoff'))).toBe(tooMany.length)
  })

  it('lets the admin token in 5 times out of 5, each during a fresh flood from a new address', async () => {
    const statuses: number[] = []
    for (let round = 0; round < 5; round++) {
      const flood = tokenFlood(gateway.apiUrl, `127.0.0.${10 + round}`, 200)
      await flood.refused
      statuses.push((await get(gateway.apiUrl, '/api/devices', SECRETS.admin, LEGIT)).status)
      await flood.answers
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200])
  })

  it('backs off repeated wrong MQTT passwords from one address, as counted on /metrics', async () => {
    const before = { bad: await refused('bad_credentials'), backoff: await refused('login_backoff') }
    const beforeChecks = await mqttChecks()
    const codes: number[] = []
    // back-off starts after a few failures and its window doubles with each, so it soon
    // outlasts one attempt however slow the machine; 30 attempts bound a failure
    while (codes.length < 30 && (await refused('login_backoff')) === before.backoff) {
      codes.push(await mqttConnect(mqttPort, '127.0.0.3', 'console', `guess-${codes.length}`))
    }
    expect(codes.every((code) => code === 5)).toBe(true)
    const bad = (await refused('bad_credentials')) - before.bad
    const backedOff = (await refused('login_backoff')) - before.backoff
    expect(backedOff).toBeGreaterThanOrEqual(1)
    expect(bad + backedOff).toBe(codes.length)
    // a backed-off attempt runs no check
    expect((await mqttChecks()) - beforeChecks).toBe(bad)
  })

  it('lets a device with the right password in while another address floods wrong passwords', async () => {
    const flood = passwordFlood(mqttPort, '127.0.0.4', 300)
    await flood.answered
    expect(await mqttConnect(mqttPort, LEGIT, 'smoke-1', SECRETS.smoke)).toBe(0)
    const codes = await flood.codes
    // refused as wrong (5) or, unchecked, as busy (3): never let in
    expect(codes.every((code) => code === 5 || code === 3)).toBe(true)
  })

  it('gives an unknown username the same CONNACK and the same one slow check as a wrong password', async () => {
    const checks0 = await mqttChecks()
    const unknown = await mqttConnect(mqttPort, '127.0.0.5', 'nobody-here', 'some-password')
    const checks1 = await mqttChecks()
    const known = await mqttConnect(mqttPort, '127.0.0.6', 'console', 'some-password')
    const checks2 = await mqttChecks()
    expect(unknown).toBe(5)
    expect(known).toBe(unknown)
    expect(checks1 - checks0).toBe(1)
    expect(checks2 - checks1).toBe(1)
  })
})
