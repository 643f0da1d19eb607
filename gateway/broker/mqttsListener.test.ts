import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect as netConnect, type Socket } from 'node:net'
import { join } from 'node:path'
import { connect as tlsConnect } from 'node:tls'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { makeServerCertificates } from '../../test/support/serverCertificates.js'
import { tempDir } from '../../test/support/tempDir.js'
import { loadListenerTls } from '../config/listenerTls.js'
import type { BrokerConfig } from '../config/schema.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { createBrokerAcl } from './brokerAcl.js'
import { createEmbeddedBroker } from './embeddedBroker.js'
import { testBrokerConfig } from './testing/brokerConfig.js'

/*
 * The mqtts listener's side of the connection caps: a TLS connection is
 * counted when it is accepted, before its handshake, and one refused there is
 * neither handshaken nor reported a second time as a failed handshake; a
 * handshake that stalls is dropped like a login that does.
 */
const dir = tempDir()
const certs = makeServerCertificates(join(dir.path, 'certs'))
afterAll(() => dir.remove())

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function startTlsBroker(overrides: Partial<BrokerConfig>) {
  const metrics = createMetrics()
  const config = testBrokerConfig({
    plain: false,
    tls: { port: 0, cert: certs.cert, key: certs.key },
    ...overrides,
  })
  const broker = await createEmbeddedBroker({
    config,
    acl: createBrokerAcl({ topicPrefix: 'storeguard/s', broker: config, devices: [] }),
    log: createLogger('silent'),
    metrics,
    tls: loadListenerTls({ port: 0, cert: certs.cert, key: certs.key }, 'broker.tls'),
  })
  const sockets: Socket[] = []
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await broker.close()
  })
  const port = broker.tlsPort ?? 0
  return {
    refused: async (reason: string) =>
      (await metrics.brokerRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0,
    /** A TCP connection to the mqtts port that never starts its handshake. */
    async raw(): Promise<Socket> {
      const socket = netConnect({ port, host: '127.0.0.1' })
      socket.on('error', () => {})
      socket.resume()
      sockets.push(socket)
      await once(socket, 'connect')
      return socket
    },
    /** Resolves true when a TLS handshake completes, false when the connection is closed first. */
    handshake(): Promise<boolean> {
      const socket = tlsConnect({ port, host: '127.0.0.1', ca: readFileSync(certs.ca), servername: 'localhost' })
      sockets.push(socket)
      return new Promise((resolve) => {
        socket.once('secureConnect', () => resolve(true))
        socket.once('error', () => resolve(false))
        socket.once('close', () => resolve(false))
      })
    },
  }
}

const closed = (socket: Socket) => (socket.destroyed ? Promise.resolve() : once(socket, 'close').then(() => {}))

describe('the mqtts listener', () => {
  it('counts TLS connections against the per-address cap before their handshake, once', async () => {
    // long enough that no handshake deadline can fire during the test
    const h = await startTlsBroker({ maxConnectionsPerIp: 2, connectTimeoutSec: 600 })
    const held = [await h.raw(), await h.raw()]
    expect(await h.handshake()).toBe(false)
    expect(await h.refused('too_many_connections_ip')).toBe(1)
    // refused at accept: no handshake was tried, so none is reported as failed
    expect(await h.refused('tls_handshake')).toBe(0)
    // a freed slot lets the next one through the handshake
    held[0]?.destroy()
    let secured = false
    for (let tries = 0; tries < 50 && !secured; tries++) secured = await h.handshake()
    expect(secured).toBe(true)
  })

  it('drops a connection whose handshake stalls past the login deadline, and counts it', async () => {
    const h = await startTlsBroker({ connectTimeoutSec: 0.2 })
    const stalled = await h.raw()
    await closed(stalled)
    expect(await h.refused('tls_handshake')).toBe(1)
  })
})
