import { once } from 'node:events'
import { connect as netConnect, type Socket } from 'node:net'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import { generate, type Packet, parser } from 'mqtt-packet'
import { afterEach, describe, expect, it } from 'vitest'
import { connectPacket as connectPacketOf } from '../../test/support/mqttPackets.js'
import type { BrokerConfig, DeviceConfig } from '../config/schema.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { hashSecret } from '../security/secretHash.js'
import { createBrokerAcl } from './brokerAcl.js'
import type { GuardTimers } from './connectionGuard.js'
import { createEmbeddedBroker } from './embeddedBroker.js'
import { testBrokerConfig } from './testing/brokerConfig.js'

/*
 * The limits of the embedded broker, on the real aedes broker on 127.0.0.1
 * with real sockets; the login deadline runs on manual timers.
 */

const P = 'storeguard/limits-store'
const PASSWORD = 'smoke-pw-4d21'
const DEVICES: DeviceConfig[] = [
  { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: { passwordHash: hashSecret(PASSWORD) } },
]
const STATE = `${P}/devices/smoke-1/state`

const LIMITS: BrokerConfig = testBrokerConfig({
  maxPayloadBytes: 1024,
  maxConnectBytes: 512,
  connectTimeoutSec: 10,
  maxConnections: 500,
  maxConnectionsPerIp: 50,
  maxInflight: 100,
  retainedPerClient: { maxMessages: 1000, maxBytes: 1048576 },
})

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function manualTimers() {
  const pending = new Set<() => void>()
  const timers: GuardTimers = {
    setTimeout(fn) {
      pending.add(fn)
      return fn
    },
    clearTimeout(handle) {
      pending.delete(handle as () => void)
    },
  }
  return {
    timers,
    pending: () => pending.size,
    fireAll() {
      for (const fn of [...pending]) {
        pending.delete(fn)
        fn()
      }
    },
  }
}

async function startBroker(
  overrides: Partial<BrokerConfig> = {},
  clientPublish?: (topic: string, payload: string | Buffer, ack: () => void) => void,
) {
  const lines: string[] = []
  const metrics = createMetrics()
  const clock = manualTimers()
  const config = { ...LIMITS, ...overrides }
  const broker = await createEmbeddedBroker({
    config,
    acl: createBrokerAcl({ topicPrefix: P, broker: config, devices: DEVICES }),
    log: createLogger('info', { write: (line: string) => void lines.push(line) }),
    metrics,
    timers: clock.timers,
    ...(clientPublish ? { clientPublish } : {}),
  })
  const sockets: Socket[] = []
  const clients: MqttClient[] = []
  cleanups.push(async () => {
    for (const s of sockets) s.destroy()
    await Promise.all(clients.map((c) => c.endAsync(true)))
    await broker.close()
  })
  const published: { topic: string; payload: string }[] = []
  broker.aedes.on('publish', (packet, client) => {
    if (client) published.push({ topic: packet.topic, payload: packet.payload.toString() })
  })
  return {
    broker,
    metrics,
    clock,
    published,
    logLines: (msg: string) => lines.filter((l) => l.includes(`"msg":"${msg}"`)),
    refused: async (reason: string) =>
      (await metrics.brokerRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0,
    /** A raw TCP socket, connected; `localAddress` picks the loopback address it comes from. */
    async raw(localAddress = '127.0.0.1') {
      const socket = netConnect({ port: broker.port ?? 0, host: '127.0.0.1', localAddress })
      socket.on('error', () => {})
      // read whatever the broker sends, or its close would wait behind the unread bytes
      socket.resume()
      sockets.push(socket)
      await once(socket, 'connect')
      return socket
    },
    async device(options: IClientOptions = {}) {
      const client = await connectAsync(
        `mqtt://127.0.0.1:${broker.port}`,
        { reconnectPeriod: 0, protocolVersion: 4, username: 'smoke-1', password: PASSWORD, ...options },
        false,
      )
      client.on('error', () => {})
      clients.push(client)
      return client
    },
  }
}

/** aedes' store of retained messages, which its public types leave out. */
interface RetainedStore {
  createRetainedStreamCombi(patterns: string[]): NodeJS.ReadableStream
}
const retainedStore = (aedes: object) => (aedes as { persistence: RetainedStore }).persistence

const connectPacket = (clientId: string, password = PASSWORD) =>
  connectPacketOf({ clientId, username: 'smoke-1', password })

/** Resolves when `socket` has closed; a reset by the broker is how most limits end it. */
const closeOf = (socket: Socket | MqttClient) => new Promise<void>((resolve) => socket.once('close', () => resolve()))

/** Packets the broker sends on `socket`, and a wait for the count of one kind. */
function reader(socket: Socket) {
  const received: Packet[] = []
  const read = parser({ protocolVersion: 4 })
  read.on('packet', (packet) => received.push(packet))
  socket.on('data', (chunk) => read.parse(chunk))
  return async (count: number, cmd: Packet['cmd']) => {
    while (received.filter((p) => p.cmd === cmd).length < count) await once(read, 'packet')
  }
}

/** Writes zeros until the peer closes the socket or `maxBytes` are out; resolves with the bytes written. */
async function streamUntilClosed(socket: Socket, maxBytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024)
  let written = 0
  const closed = closeOf(socket)
  while (written < maxBytes && !socket.destroyed) {
    written += chunk.length
    if (!socket.write(chunk)) {
      // the socket's 'error' (a reset) is expected here, and is followed by 'close'
      await Promise.race([new Promise((r) => socket.once('drain', r)), closed])
    }
  }
  await closed
  return written
}

describe('broker limits: packet size while parsing', () => {
  it('closes a socket streaming a huge CONNECT after its header, long before the body is in', async () => {
    const h = await startBroker()
    const socket = await h.raw()
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f])) // CONNECT declaring 256 MB
    const written = await streamUntilClosed(socket, 256 * 1024 * 1024)
    expect(written).toBeLessThan(64 * 1024 * 1024)
    expect(await h.refused('packet_too_large')).toBe(1)
  })

  it('closes a connection whose first packet is not CONNECT, and one with a malformed length', async () => {
    const h = await startBroker()
    const first = await h.raw()
    first.write(generate({ cmd: 'pingreq' } as Packet))
    await closeOf(first)
    const second = await h.raw()
    second.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x01]))
    await closeOf(second)
    expect(await h.refused('protocol_error')).toBe(2)
  })

  it('closes a logged-in client while it streams a publish far beyond maxPayloadBytes', async () => {
    const h = await startBroker()
    const socket = await h.raw()
    const until = reader(socket)
    socket.write(connectPacket('big-1'))
    await until(1, 'connack')
    // PUBLISH header declaring 50 MB; the body never needs to arrive
    socket.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x19]))
    const written = await streamUntilClosed(socket, 50 * 1024 * 1024)
    expect(written).toBeLessThan(50 * 1024 * 1024)
    expect(await h.refused('packet_too_large')).toBe(1)
    expect(h.published).toEqual([])
  })

  it('still reads a payload just over maxPayloadBytes, and refuses it as oversized', async () => {
    const h = await startBroker()
    const device = await h.device()
    const closed = closeOf(device)
    device.publish(STATE, Buffer.alloc(1025, 0x20))
    await closed
    expect(await h.refused('oversized')).toBe(1)
    expect(await h.refused('packet_too_large')).toBe(0)
  })

  it('lets a CONNECT with a will within maxConnectBytes log in', async () => {
    const h = await startBroker()
    const device = await h.device({ will: { topic: STATE, payload: Buffer.alloc(300, 0x20), qos: 0, retain: false } })
    expect(device.connected).toBe(true)
    expect(await h.refused('packet_too_large')).toBe(0)
  })
})

describe('broker limits: login deadline', () => {
  it('closes sockets that never log in when the deadline passes, and counts each', async () => {
    const h = await startBroker()
    const idle = await h.raw()
    const refusedLogin = await h.raw()
    refusedLogin.write(connectPacket('slow-1', 'wrong-password'))
    await closeOf(refusedLogin) // aedes closes a refused login itself, and the guard's deadline with it
    const halfway = await h.raw()
    halfway.write(connectPacket('slow-2').subarray(0, 5)) // half a CONNECT
    const connected = await h.device()
    const closed = Promise.all([closeOf(idle), closeOf(halfway)])
    expect(h.clock.pending()).toBe(2)
    h.clock.fireAll()
    await closed
    expect(await h.refused('connect_timeout')).toBe(2)
    expect(connected.connected).toBe(true)
  })

  it('leaves a logged-in client alone', async () => {
    const h = await startBroker()
    const device = await h.device()
    expect(h.clock.pending()).toBe(0)
    await device.publishAsync(STATE, '{"smoke":false}', { qos: 1 })
    expect(device.connected).toBe(true)
    expect(await h.refused('connect_timeout')).toBe(0)
  })
})

describe('broker limits: connections', () => {
  it('closes sockets over the per-address cap at accept, while other addresses still get in', async () => {
    const h = await startBroker({ maxConnectionsPerIp: 2 })
    await h.raw('127.0.0.2')
    await h.raw('127.0.0.2')
    const third = await h.raw('127.0.0.2')
    await closeOf(third)
    expect(await h.refused('too_many_connections_ip')).toBe(1)
    const device = await h.device()
    expect(device.connected).toBe(true)
  })

  it('closes sockets over the total cap at accept, and takes new ones once others have gone', async () => {
    const h = await startBroker({ maxConnections: 2 })
    const first = await h.raw('127.0.0.2')
    await h.raw('127.0.0.3')
    const third = await h.raw('127.0.0.4')
    await closeOf(third)
    expect(await h.refused('too_many_connections')).toBe(1)
    first.destroy()
    await closeOf(first)
    // the server learns of the close on its own schedule: try until a socket stays
    // the server learns of the close on its own schedule: try until a login gets its CONNACK
    for (;;) {
      const next = await h.raw('127.0.0.5')
      next.write(connectPacket('after-1'))
      const outcome = await Promise.race([
        closeOf(next).then(() => 'closed'),
        new Promise((r) => next.once('data', () => r('connack'))),
      ])
      if (outcome === 'connack') break
    }
  })

  it('logs a flood of refusals once per reason, with the address, and counts each', async () => {
    const h = await startBroker({ maxConnectionsPerIp: 1 })
    await h.raw('127.0.0.2')
    for (let i = 0; i < 20; i++) await closeOf(await h.raw('127.0.0.2'))
    expect(await h.refused('too_many_connections_ip')).toBe(20)
    const lines = h.logLines('mqtt connection closed')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('"reason":"too_many_connections_ip"')
    expect(lines[0]).toContain('"ip":"127.0.0.2"')
  })
})

describe('broker limits: retained messages', () => {
  it('delivers a retained message over the quota, but does not keep it', async () => {
    const h = await startBroker({ retainedPerClient: { maxMessages: 2, maxBytes: 1000 } })
    const device = await h.device()
    for (const metric of ['a', 'b', 'c']) {
      await device.publishAsync(`${P}/devices/smoke-1/${metric}`, `{"${metric}":1}`, { qos: 1, retain: true })
    }
    expect(h.published.map((p) => p.topic)).toEqual(['a', 'b', 'c'].map((m) => `${P}/devices/smoke-1/${m}`))
    expect(await h.refused('retained_quota')).toBe(1)
    const kept: string[] = []
    await new Promise<void>((resolve, reject) => {
      const stream = retainedStore(h.broker.aedes).createRetainedStreamCombi([`${P}/#`])
      stream.on('data', (packet: { topic: string }) => kept.push(packet.topic))
      stream.on('end', resolve)
      stream.on('error', reject)
    })
    expect(kept.sort()).toEqual([`${P}/devices/smoke-1/a`, `${P}/devices/smoke-1/b`])
  })

  it('frees quota when the device deletes a retained message with an empty payload', async () => {
    const h = await startBroker({ retainedPerClient: { maxMessages: 1, maxBytes: 1000 } })
    const device = await h.device()
    await device.publishAsync(`${P}/devices/smoke-1/a`, '1', { qos: 1, retain: true })
    await device.publishAsync(`${P}/devices/smoke-1/a`, '', { qos: 1, retain: true })
    await device.publishAsync(`${P}/devices/smoke-1/b`, '1', { qos: 1, retain: true })
    expect(await h.refused('retained_quota')).toBe(0)
  })
})

describe('broker limits: messages in flight', () => {
  it('hands on at most maxInflight QoS 1 messages of a client at once; the rest wait, in order, uncut', async () => {
    const held: Array<{ payload: string; ack: () => void }> = []
    let seen!: () => void
    const h = await startBroker({ maxInflight: 3 }, (_topic, payload, ack) => {
      held.push({ payload: String(payload), ack })
      seen?.()
    })
    const socket = await h.raw()
    const until = reader(socket)
    socket.write(connectPacket('q1-burst'))
    await until(1, 'connack')
    const waitFor = (n: number) =>
      new Promise<void>((resolve) => {
        seen = () => held.length >= n && resolve()
        seen()
      })
    // one write: aedes gets all ten in one read, as a paced sender's do after a stall
    const burst = Array.from({ length: 10 }, (_, i) =>
      generate({
        cmd: 'publish',
        topic: STATE,
        payload: `{"n":${i}}`,
        qos: 1,
        messageId: i + 1,
        retain: false,
        dup: false,
      }),
    )
    socket.write(Buffer.concat(burst))
    await waitFor(3)
    await new Promise((resolve) => setImmediate(resolve))
    expect(held).toHaveLength(3)
    // each acknowledgement lets exactly the next one in
    held[0]?.ack()
    await waitFor(4)
    expect(held.map((m) => m.payload)).toEqual(['{"n":0}', '{"n":1}', '{"n":2}', '{"n":3}'])
    for (let i = 1; i < 10; i++) {
      await waitFor(Math.min(10, i + 3))
      held[i]?.ack()
    }
    await until(10, 'puback')
    expect(held.map((m) => m.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `{"n":${i}}`))
    expect(socket.destroyed).toBe(false)
    expect(await h.refused('inflight_limit')).toBe(0)
    expect((await h.metrics.brokerInflightWaits.get()).values[0]?.value).toBe(7)
  })

  it('disconnects a client with more QoS 2 messages awaiting PUBREL than maxInflight, and counts it once', async () => {
    const h = await startBroker({ maxInflight: 5 })
    const socket = await h.raw()
    const until = reader(socket)
    socket.write(connectPacket('q2-flood'))
    await until(1, 'connack')
    const closed = closeOf(socket)
    for (let i = 1; i <= 50; i++) {
      socket.write(
        generate({ cmd: 'publish', topic: STATE, payload: '{}', qos: 2, messageId: i, retain: false, dup: false }),
      )
    }
    await closed
    expect(await h.refused('inflight_limit')).toBe(1)
  })

  it('lets a client that completes its QoS 2 handshakes send many more than maxInflight', async () => {
    const h = await startBroker({ maxInflight: 2 })
    const device = await h.device()
    for (let i = 0; i < 10; i++) await device.publishAsync(STATE, `{"n":${i}}`, { qos: 2 })
    await Promise.all(Array.from({ length: 2 }, (_, i) => device.publishAsync(STATE, `{"p":${i}}`, { qos: 1 })))
    expect(device.connected).toBe(true)
    expect(await h.refused('inflight_limit')).toBe(0)
  })
})
