import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type CertificatePair, makeClientCertificate, makeServerCertificates } from './support/serverCertificates.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'

/*
 * The built gateway with TLS on its own listeners: mqtts for devices, https
 * for the API and the console, and client certificates bound to MQTT
 * usernames. Certificates are made by openssl for this run; both ends are
 * the real TLS stacks.
 */

const CLI = join(import.meta.dirname, '..', 'dist', 'gateway', 'cli.js')

const dir = tempDir()
const certs = makeServerCertificates(join(dir.path, 'certs'))
afterAll(() => dir.remove())

/** The test store's config with TLS settings added to its `broker:` and `api:` sections. */
function tlsStoreConfig(dataDir: string, tls: { broker?: string; api?: string }): string {
  let yaml = testStoreConfig(dataDir)
  if (tls.broker) yaml = yaml.replace('broker:\n  host: 127.0.0.1\n  port: 0\n', `$&${tls.broker}\n`)
  if (tls.api) yaml = yaml.replace('api:\n  host: 127.0.0.1\n  port: 0\n', `$&${tls.api}\n`)
  return yaml
}

interface HttpsAnswer {
  readonly status: number
  readonly type: string
  readonly body: string
}

/** One https GET trusting only `ca` (no system CAs), with a bearer token and a client certificate when given. */
function httpsGet(url: string, ca: string, token?: string, certificate?: CertificatePair): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(ca),
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(certificate ? { cert: readFileSync(certificate.cert), key: readFileSync(certificate.key) } : {}),
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}

const clients: MqttClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
})

/** An mqtts client trusting only `ca`, with a client certificate when given; no reconnects, so a refusal is seen. */
async function mqttsClient(
  url: string,
  username: string,
  password: string,
  ca: string,
  certificate?: CertificatePair,
): Promise<MqttClient> {
  const options: IClientOptions = {
    username,
    password,
    ca: readFileSync(ca),
    ...(certificate ? { cert: readFileSync(certificate.cert), key: readFileSync(certificate.key) } : {}),
    reconnectPeriod: 0,
    connectTimeout: 5000,
  }
  const client = connect(url, options)
  clients.push(client)
  // not connectAsync: a TLS 1.3 server refuses a client certificate after the client's side of the
  // handshake is done, and the connection then just closes, which connectAsync never settles on
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client))
    client.once('error', reject)
    client.once('close', () => reject(new Error('connection closed before CONNACK')))
  })
}

/** What a refused connect ends with: the error, or a failure of the test when it connected. */
async function refusal(connecting: Promise<MqttClient>): Promise<Error & { code?: unknown }> {
  return connecting.then(
    () => {
      throw new Error('expected the gateway to refuse this connection')
    },
    (err: Error & { code?: unknown }) => err,
  )
}

describe('mqtts and https on the gateway', () => {
  const store = tempDir()
  let gateway: GatewayProcess
  let mqttsUrl: string

  beforeAll(async () => {
    gateway = await startGatewayProcess(
      store.path,
      tlsStoreConfig(store.path, {
        broker: `  tls: { port: 0, cert: ${certs.cert}, key: ${certs.key} }`,
        api: `  tls: { cert: ${certs.cert}, key: ${certs.key} }`,
      }),
    )
    mqttsUrl = gateway.mqttsUrl ?? ''
  })
  afterAll(async () => {
    await gateway?.kill()
    store.remove()
  })

  it('says both MQTT ports and the https API in its started line', () => {
    expect(gateway.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(mqttsUrl).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/)
    expect(gateway.mqttUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/)
    expect(gateway.output.join('\n')).toContain('"mqtts broker listening"')
  })

  it('raises an alarm from a reading sent over mqtts, and serves it over https', async () => {
    const device = await mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.ca)
    await device.publishAsync(`${PREFIX}/devices/leak-entrance-1/state`, JSON.stringify({ water_leak: true }), {
      qos: 1,
    })
    const flood = await eventually(
      async () => {
        const answer = await httpsGet(`${gateway.apiUrl}/api/alarms`, certs.ca, SECRETS.manager)
        expect(answer.status).toBe(200)
        return JSON.parse(answer.body).alarms.find((a: { kind: string }) => a.kind === 'flood')
      },
      15_000,
      'the flood alarm over https',
    )
    expect(flood).toMatchObject({ kind: 'flood', deviceId: 'leak-entrance-1' })
  })

  it('serves the health check, the console page and its script over https', async () => {
    const health = await httpsGet(`${gateway.apiUrl}/healthz`, certs.ca)
    expect(health.status).toBe(200)
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', broker: 'up' })
    const page = await httpsGet(`${gateway.apiUrl}/`, certs.ca)
    expect(page.status).toBe(200)
    expect(page.type).toContain('text/html')
    const script = await httpsGet(`${gateway.apiUrl}/assets/console.js`, certs.ca)
    expect(script.status).toBe(200)
    // an unauthenticated API call is refused over https as over http
    expect((await httpsGet(`${gateway.apiUrl}/api/alarms`, certs.ca)).status).toBe(401)
  })

  it('is refused by clients that trust another CA', async () => {
    const err = await refusal(mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.otherCa))
    expect(err.message).toMatch(/certificate/i)
    await expect(httpsGet(`${gateway.apiUrl}/healthz`, certs.otherCa)).rejects.toThrow(/certificate/i)
  })
})

describe('client certificates (broker.tls.ca, api.tls.ca)', () => {
  const store = tempDir()
  let gateway: GatewayProcess
  let mqttsUrl: string
  const bridgeCert = makeClientCertificate(certs, 'bridge-client', 'bridge')
  const consumerCert = makeClientCertificate(certs, 'consumer-client', 'consumer')
  const forgedBridge = makeClientCertificate(certs, 'forged-bridge', 'bridge', 'otherCa')

  beforeAll(async () => {
    gateway = await startGatewayProcess(
      store.path,
      tlsStoreConfig(store.path, {
        broker: `  plain: false\n  tls: { port: 0, cert: ${certs.cert}, key: ${certs.key}, ca: ${certs.ca} }`,
        api: `  tls: { cert: ${certs.cert}, key: ${certs.key}, ca: ${certs.ca} }`,
      }),
    )
    mqttsUrl = gateway.mqttsUrl ?? ''
  })
  afterAll(async () => {
    await gateway?.kill()
    store.remove()
  })
  /** Waits until /metrics has counted a broker refusal for `reason`. */
  const refusedCount = (reason: string) =>
    eventually(
      async () => {
        const { body } = await httpsGet(`${gateway.apiUrl}/metrics`, certs.ca, SECRETS.viewer, consumerCert)
        return new RegExp(`storeguard_broker_refused_total\\{reason="${reason}"\\} [1-9]`).test(body) ? true : undefined
      },
      15_000,
      `a ${reason} refusal in /metrics`,
    )

  it('listens on mqtts only when broker.plain is false', () => {
    const started = gateway.output.find((l) => l.includes('"gateway started"')) ?? ''
    expect(JSON.parse(started)).toMatchObject({ mqttPort: null, mqttsPort: expect.any(Number) })
  })

  it('serves the API only to clients with a certificate the CA signed', async () => {
    expect((await httpsGet(`${gateway.apiUrl}/healthz`, certs.ca, undefined, bridgeCert)).status).toBe(200)
    await expect(httpsGet(`${gateway.apiUrl}/healthz`, certs.ca)).rejects.toThrow()
    await expect(httpsGet(`${gateway.apiUrl}/healthz`, certs.ca, undefined, forgedBridge)).rejects.toThrow()
  })

  it('lets in a client whose certificate the CA signed and whose CN is its username', async () => {
    const client = await mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.ca, bridgeCert)
    expect(client.connected).toBe(true)
  })

  it('refuses a client without a certificate, or with one another CA signed', async () => {
    await refusal(mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.ca))
    await refusal(mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.ca, forgedBridge))
    await refusedCount('tls_handshake')
  })

  it('refuses with CONNACK 5 a certificate whose CN is another username, and counts it', async () => {
    // a valid certificate and the right password for "bridge", but the certificate is the consumer's
    const err = await refusal(mqttsClient(mqttsUrl, 'bridge', SECRETS.bridge, certs.ca, consumerCert))
    expect(err.code).toBe(5)
    // the right certificate does not make up for a wrong password
    const wrongPassword = await refusal(mqttsClient(mqttsUrl, 'bridge', 'not-the-password', certs.ca, bridgeCert))
    expect(wrongPassword.code).toBe(5)
    await refusedCount('certificate_name')
  })
})

describe('certificate files at start and in validate', () => {
  const store = tempDir()
  afterAll(() => store.remove())

  it('stops the start naming the setting and the path of a missing certificate', async () => {
    const missing = join(store.path, 'no-such.crt')
    const starting = startGatewayProcess(
      store.path,
      tlsStoreConfig(store.path, { broker: `  tls: { port: 0, cert: ${missing}, key: ${certs.key} }` }),
    )
    await expect(starting).rejects.toThrow(/gateway exited \(1\)/)
    await expect(starting).rejects.toThrow(`broker.tls.cert: cannot read ${missing}: ENOENT`)
  })

  it('validate fails on a key that does not match the certificate, naming the setting', () => {
    const file = join(store.path, 'mismatch.yaml')
    const otherKey = certs.otherCa.replace(/\.crt$/, '.key')
    writeFileSync(file, `store: { id: s1 }\napi: { tls: { cert: ${certs.cert}, key: ${otherKey} } }\n`)
    const r = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8', timeout: 15_000 })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`api.tls.key: ${otherKey} does not match the certificate in api.tls.cert`)
  })
})

describe('insecure settings', () => {
  const store = tempDir()
  let gateway: GatewayProcess | undefined
  afterAll(async () => {
    await gateway?.kill()
    store.remove()
  })
  // a webhook with a credential header over http:// to another host; no routes, so nothing is ever sent
  const webhook =
    'notifications:\n  enabled: true\n  channels:\n' +
    '    - { id: ops, kind: webhook, url: "http://hooks.example/in", headers: { Authorization: "Bearer hook-token-7e" } }\n'

  it('validate accepts the config with a labelled warning naming the setting', () => {
    const file = join(store.path, 'insecure.yaml')
    writeFileSync(file, `store: { id: s1 }\n${webhook}`)
    const r = spawnSync(process.execPath, [CLI, 'validate', file], { encoding: 'utf8', timeout: 15_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('valid')
    expect(r.stderr).toContain(`${file}: warning: notifications.channels[0].url sends a token or password in clear`)
    expect(r.stderr).not.toContain('hook-token-7e')
  })

  it('the gateway logs the same warning once at start', async () => {
    gateway = await startGatewayProcess(store.path, testStoreConfig(store.path) + webhook)
    const warnings = gateway.output.filter((l) => l.includes('"insecure setting'))
    expect(warnings).toHaveLength(1)
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, setting: 'notifications.channels[0].url' })
  })
})
