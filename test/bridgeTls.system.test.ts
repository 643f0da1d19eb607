import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connectAsync } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type CentralBroker, startCentralBroker } from './support/centralBroker.js'
import { type CentralRecording, recordCentral } from './support/centralRecorder.js'
import type { GatewayProcess } from './support/gatewayProcess.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE } from './support/testStore.js'

/*
 * The bridge over TLS to the shipped central Mosquitto (deploy/central/mosquitto:
 * `require_certificate true`, `use_identity_as_username true`, the shipped ACL),
 * with certificates made by openssl for this run: the chain's CA, the broker's
 * certificate for 127.0.0.1, one client certificate per store (CN = store id),
 * and a certificate for this store that the chain's CA never signed.
 */

type Pem = { readonly cert: string; readonly key: string }

function makeCertificates(dir: string) {
  mkdirSync(dir, { recursive: true })
  const openssl = (command: string, ...args: string[]) =>
    execFileSync('openssl', [...command.split(' '), ...args], { cwd: dir, stdio: 'pipe' })
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
  const pem = (name: string): Pem => ({ cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) })
  const selfSigned = (name: string, cn: string): Pem => {
    openssl(`req -x509 ${newKey} -keyout ${name}.key -out ${name}.crt -days 2`, '-subj', `/CN=${cn}`)
    return pem(name)
  }
  const signed = (name: string, cn: string, extensions: string[]): Pem => {
    openssl(`req -new ${newKey} -keyout ${name}.key -out ${name}.csr`, '-subj', `/CN=${cn}`)
    writeFileSync(join(dir, `${name}.ext`), ['basicConstraints=CA:FALSE', ...extensions, ''].join('\n'))
    openssl(
      `x509 -req -sha256 -days 2 -in ${name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -extfile ${name}.ext -out ${name}.crt`,
    )
    return pem(name)
  }
  const ca = selfSigned('ca', 'StoreGuard test chain CA')
  return {
    ca: ca.cert,
    server: signed('server', 'localhost', ['subjectAltName=IP:127.0.0.1,DNS:localhost', 'extendedKeyUsage=serverAuth']),
    testStore: signed('test-store', STORE, ['extendedKeyUsage=clientAuth']),
    otherStore: signed('other-store', 'other-store', ['extendedKeyUsage=clientAuth']),
    // the right name, the wrong issuer: what a stolen store id without the chain's key looks like
    forged: selfSigned('forged', STORE),
  }
}

const bridgeYaml = (url: string, ca: string, client: Pem) => `
bridge:
  url: ${url}
  tls: { ca: ${ca}, cert: ${client.cert}, key: ${client.key} }
  reconnect: { baseMs: 200, capMs: 1000 }
`

describe('the upstream bridge over TLS with a client certificate per store', () => {
  const dir = tempDir()
  const certs = makeCertificates(join(dir.path, 'certs'))
  let central: CentralBroker
  let seen: CentralRecording
  const running: { stop(): Promise<unknown> }[] = []

  /** A mqtt.js client on the TLS listener with a store's certificate. */
  const connectWithCertificate = async (pem: Pem) => {
    const client = await connectAsync(central.tlsUrl ?? '', {
      ca: readFileSync(certs.ca),
      cert: readFileSync(pem.cert),
      key: readFileSync(pem.key),
      reconnectPeriod: 0,
      connectTimeout: 5000,
    })
    running.push({ stop: () => client.endAsync(true) })
    return client
  }
  const startStore = async (client: Pem) => {
    const store = await startStoreUnderTest({ extraYaml: bridgeYaml(central.tlsUrl ?? '', certs.ca, client) })
    running.push(store)
    return store
  }
  const floodAlarm = (store: StoreUnderTest) => store.alarmOfKind('flood')
  const health = async (gateway: GatewayProcess) => (await api(gateway.apiUrl, 'GET', '/healthz', null)).json

  beforeAll(async () => {
    central = await startCentralBroker(dir.path, ['central'], {
      tls: { ca: certs.ca, cert: certs.server.cert, key: certs.server.key },
    })
    const consumer = await central.connect('central')
    seen = recordCentral(consumer)
    await consumer.subscribeAsync('storeguard/#', { qos: 1 })
  })
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop()
  })
  afterAll(async () => {
    await central?.close()
    dir.remove()
  })

  it('forwards an alarm to the centre over TLS and takes the centre’s acknowledgement back', async () => {
    const store = await startStore(certs.testStore)
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await floodAlarm(store)
    const raised = await eventually(
      async () => seen.events(STORE, 'alarm').find((e) => e.alarm.id === flood.id && e.action === 'raised'),
      15_000,
      'the raised event at the centre',
    )
    expect(raised.msgId).toMatch(/^[0-9a-f-]{36}$/)
    expect(seen.unique().find((m) => m.topic === `${PREFIX}/alarms/${flood.id}`)?.json).toMatchObject({
      kind: 'flood',
      state: 'active_unacked',
    })
    expect((await health(store.gateway)).central).toMatchObject({ connected: true })

    const centre = await central.connect('central')
    const ack = JSON.stringify({ commandId: 'tls-ack-1', by: 'ops.li' })
    await centre.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/ack`, ack, { qos: 1 })
    const reply = await eventually(
      async () =>
        seen.unique().find((m) => m.topic === `${PREFIX}/command-results` && m.json?.commandId === 'tls-ack-1')?.json,
      15_000,
      'the reply to the acknowledgement',
    )
    expect(reply).toMatchObject({ result: 'done', alarmId: flood.id })
    expect(
      (await store.get('/api/alarms', SECRETS.manager)).alarms.find((a: { id: string }) => a.id === flood.id),
    ).toMatchObject({
      state: 'active_acked',
      ackedBy: 'central:ops.li',
    })
  })

  it('never connects with a certificate the chain’s CA did not sign, says why, and keeps the store running', async () => {
    const heardBefore = seen.all.length
    const store = await startStore(certs.forged)
    // several reconnection attempts (200 ms to 1 s apart) while the store raises an alarm
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await floodAlarm(store)
    await eventually(
      async () => ((await health(store.gateway)).central?.queued >= 2 ? true : undefined),
      15_000,
      'the alarm queued for the centre',
    )
    await new Promise((r) => setTimeout(r, 3000))

    const link = (await health(store.gateway)).central
    expect(link.connected).toBe(false)
    expect(link.queued).toBeGreaterThanOrEqual(2)
    expect(store.gateway.proc.exitCode).toBeNull()
    // why, in the journal: the centre's TLS refusal, once and not once per attempt (there were several)
    const refusalLines = () => store.gateway.output.filter((line) => line.includes('"central broker error"'))
    // a loaded machine may not have got through an attempt yet: wait for one rather than assume it
    await eventually(async () => (refusalLines().length > 0 ? true : undefined), 15_000, 'the TLS refusal logged')
    const refusals = refusalLines()
    expect(refusals.length).toBeLessThanOrEqual(2)
    expect(refusals[0]).toMatch(/unknown ca|bad certificate|certificate required/)
    // nothing of this gateway at the centre: not its alarm, not its "online" (the last gateway's will may come late)
    const heard = seen.all.slice(heardBefore)
    expect(heard.filter((m) => m.payload.includes(flood.id) || m.payload === 'online')).toEqual([])
    // the store itself works on: the alarm is there to see and acknowledge
    expect((await api(store.gateway.apiUrl, 'POST', `/api/alarms/${flood.id}/ack`, SECRETS.staff, {})).status).toBe(200)
  })

  it('takes the certificate’s name as the store’s identity: another store neither writes nor reads here', async () => {
    const other = await connectWithCertificate(certs.otherStore)
    const heard: string[] = []
    other.on('message', (topic) => heard.push(topic))
    // refused outright or granted and never fed: either way nothing of this store may reach it
    await other.subscribeAsync(`${PREFIX}/#`, { qos: 1 }).catch(() => {})
    await other.publishAsync(`${PREFIX}/events`, JSON.stringify({ type: 'forged' }), { qos: 1 })
    await other.publishAsync('storeguard/other-store/events', JSON.stringify({ type: 'own' }), { qos: 1 })
    const self = await connectWithCertificate(certs.testStore)
    await self.publishAsync(`${PREFIX}/events`, JSON.stringify({ type: 'genuine' }), { qos: 1 })

    // each publisher's messages arrive in order: once these are in, the forged one had its chance
    await eventually(async () => seen.events('other-store', 'own')[0], 15_000, 'other-store’s event under its own id')
    await eventually(async () => seen.events(STORE, 'genuine')[0], 15_000, 'this store’s event')
    await new Promise((r) => setTimeout(r, 300))
    expect(seen.events(STORE, 'forged')).toEqual([])
    expect(heard).toEqual([])
  })
})
