import { once } from 'node:events'
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { generate, type Packet } from 'mqtt-packet'
import { afterEach, describe, expect, it } from 'vitest'
import { type GuardRefusal, type GuardTimers, guardConnection, packetCheck } from './connectionGuard.js'

/*
 * The guard between real loopback sockets: the server side is wrapped, the
 * test plays the client. Its deadline runs on manual timers.
 */

const connectPacket = generate({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  clientId: 'c1',
  keepalive: 30,
} as Packet)
const connack = (returnCode: number) => generate({ cmd: 'connack', returnCode, sessionPresent: false } as Packet)
const publish = (bytes: number) =>
  generate({
    cmd: 'publish',
    topic: 't',
    payload: Buffer.alloc(bytes, 0x62),
    qos: 0,
    retain: false,
    dup: false,
  } as Packet)

function manualTimers() {
  const pending = new Set<{ fn: () => void; ms: number }>()
  const timers: GuardTimers = {
    setTimeout(fn, ms) {
      const t = { fn, ms }
      pending.add(t)
      return t
    },
    clearTimeout(handle) {
      pending.delete(handle as { fn: () => void; ms: number })
    },
  }
  return {
    timers,
    pending: () => [...pending].map((t) => t.ms),
    fireAll: () => {
      for (const t of [...pending]) {
        pending.delete(t)
        t.fn()
      }
    },
  }
}

interface Pair {
  readonly client: Socket
  readonly guarded: Duplex
  readonly refusals: GuardRefusal[]
  /** Bytes the guarded side has handed on so far. */
  readonly received: () => Buffer
  readonly clock: ReturnType<typeof manualTimers>
}

const servers: Server[] = []
const sockets: Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
})

async function pair(limits = { maxConnectBytes: 64, maxPacketBytes: 1024 }): Promise<Pair> {
  const clock = manualTimers()
  const refusals: GuardRefusal[] = []
  const chunks: Buffer[] = []
  const server = createServer()
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const accepted = once(server, 'connection') as Promise<[Socket]>
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1')
  client.on('error', () => {})
  const [socket] = await accepted
  sockets.push(client, socket)
  const guarded = guardConnection(socket, {
    ...limits,
    connectTimeoutMs: 10_000,
    timers: clock.timers,
    onRefused: (r) => refusals.push(r),
  })
  guarded.on('data', (c: Buffer) => chunks.push(c))
  guarded.on('error', () => {})
  return { client, guarded, refusals, received: () => Buffer.concat(chunks), clock }
}

/** Writes `bytes` from the client and waits until the guarded side has handed on `expected` bytes. */
async function send(p: Pair, bytes: Buffer, expectedTotal: number): Promise<void> {
  p.client.write(bytes)
  while (p.received().length < expectedTotal) await once(p.guarded, 'data')
}

describe('what the guard lets in', () => {
  const check = packetCheck({ maxConnectBytes: 100, maxPacketBytes: 1000 }, () => false)
  const loggedIn = packetCheck({ maxConnectBytes: 100, maxPacketBytes: 1000 }, () => true)

  it('CONNECT first, then anything within the limit of the login state', () => {
    expect(check({ type: 1, flags: 0, remainingLength: 100, index: 0 })).toBeNull()
    expect(check({ type: 1, flags: 0, remainingLength: 101, index: 0 })).toBe('packet_too_large')
    expect(check({ type: 3, flags: 0, remainingLength: 10, index: 0 })).toBe('protocol_error')
    expect(check({ type: 3, flags: 0, remainingLength: 101, index: 1 })).toBe('packet_too_large')
    expect(loggedIn({ type: 3, flags: 0, remainingLength: 1000, index: 1 })).toBeNull()
    expect(loggedIn({ type: 3, flags: 0, remainingLength: 1001, index: 1 })).toBe('packet_too_large')
  })
})

describe('the connection guard', () => {
  it('hands on every byte unchanged, both ways', async () => {
    const p = await pair()
    const stream = Buffer.concat([connectPacket, publish(10)])
    await send(p, stream, stream.length)
    expect(p.received().equals(stream)).toBe(true)
    const back = connack(0)
    p.guarded.write(back)
    const [echo] = (await once(p.client, 'data')) as [Buffer]
    expect(echo.equals(back)).toBe(true)
    expect(p.refusals).toEqual([])
  })

  it('closes the socket on a CONNECT larger than the pre-login limit, as soon as its header is in', async () => {
    const p = await pair()
    const closed = once(p.client, 'close')
    // a CONNECT header declaring 1 MB, and only the first kilobyte of it
    p.client.write(Buffer.concat([Buffer.from([0x10, 0x80, 0x80, 0x40]), Buffer.alloc(1024)]))
    await closed
    expect(p.refusals).toEqual(['packet_too_large'])
    expect(p.received().length).toBe(0)
  })

  it('closes a connection whose first packet is not CONNECT', async () => {
    const p = await pair()
    const closed = once(p.client, 'close')
    p.client.write(publish(1))
    await closed
    expect(p.refusals).toEqual(['protocol_error'])
  })

  it('allows larger packets once a CONNACK has accepted the client, and only then', async () => {
    const p = await pair()
    await send(p, connectPacket, connectPacket.length)
    p.guarded.write(connack(0))
    await once(p.client, 'data')
    const big = publish(900)
    await send(p, big, connectPacket.length + big.length)
    const closed = once(p.client, 'close')
    p.client.write(publish(1100))
    await closed
    expect(p.refusals).toEqual(['packet_too_large'])
  })

  it('recognises an accepting CONNACK written in pieces, corked as mqtt-packet does or not', async () => {
    const bytes = connack(0)
    for (const corked of [true, false]) {
      const p = await pair()
      if (corked) p.guarded.cork()
      for (const b of bytes) p.guarded.write(Buffer.from([b]))
      if (corked) p.guarded.uncork()
      let seen = 0
      while (seen < bytes.length) seen += ((await once(p.client, 'data')) as [Buffer])[0].length
      expect(p.clock.pending(), corked ? 'corked' : 'one by one').toEqual([])
    }
  })

  it('keeps the small limit after a CONNACK that refuses the client', async () => {
    const p = await pair()
    await send(p, connectPacket, connectPacket.length)
    p.guarded.write(connack(5))
    await once(p.client, 'data')
    const closed = once(p.client, 'close')
    p.client.write(publish(100))
    await closed
    expect(p.refusals).toEqual(['packet_too_large'])
  })

  it('closes a connection that has not logged in by the deadline, and counts it once', async () => {
    const p = await pair()
    expect(p.clock.pending()).toEqual([10_000])
    const closed = once(p.client, 'close')
    await send(p, connectPacket, connectPacket.length) // CONNECT alone is not a login
    p.clock.fireAll()
    await closed
    expect(p.refusals).toEqual(['connect_timeout'])
  })

  it('stops the deadline at the accepting CONNACK, and when the socket closes', async () => {
    const accepted = await pair()
    accepted.guarded.write(connack(0))
    await once(accepted.client, 'data')
    expect(accepted.clock.pending()).toEqual([])

    const gone = await pair()
    const closed = once(gone.guarded, 'close')
    gone.client.destroy()
    await closed
    expect(gone.clock.pending()).toEqual([])
    expect(gone.refusals).toEqual([])
  })

  it('closes the socket when the guarded side is destroyed', async () => {
    const p = await pair()
    const closed = once(p.client, 'close')
    p.guarded.destroy()
    await closed
    expect(p.refusals).toEqual([])
  })
})
