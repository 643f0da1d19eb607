import { once } from 'node:events'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import { connectAsync, type MqttClient } from 'mqtt'
import { afterEach, describe, expect, it } from 'vitest'
import { eventually } from '../../test/support/api.js'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { createUplinkSender, type UplinkSender } from './uplinkSender.js'
import { createUplinkStore, type NewUplinkMessage, type UplinkStore } from './uplinkStore.js'

/*
 * The sender against the real aedes broker on 127.0.0.1 and a real mqtt.js
 * client (docs/design.md#tests: no mocks of mqtt). The broker can hold its PUBACKs back:
 * aedes answers a QoS 1 PUBLISH only once `authorizePublish` calls back.
 */

const P = 'storeguard/test-store'
const T0 = Date.parse('2026-11-23T10:00:00Z')

interface Received {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
  readonly qos: number
}

async function startBroker() {
  const held: (() => void)[] = []
  let holding = false
  const aedes = await Aedes.createBroker({
    authorizePublish(_client, _packet, done) {
      if (holding) held.push(() => done(null))
      else done(null)
    },
  })
  const received: Received[] = []
  aedes.on('publish', (packet, client) => {
    if (client)
      received.push({ topic: packet.topic, payload: packet.payload.toString(), retain: packet.retain, qos: packet.qos })
  })
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    aedes.handle(socket)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** Payloads in the order the broker took them, each once (a resent copy counts once). */
    payloads: () => [...new Set(received.map((m) => m.payload))],
    /** Holds every PUBACK from now on, until `release`. */
    hold() {
      holding = true
    },
    release() {
      holding = false
      for (const done of held.splice(0)) done()
    },
    /** Stops holding, and never acknowledges what it held (its connection is gone). */
    forgetHeld() {
      holding = false
      held.length = 0
    },
    /** Cuts every connection, the way a network outage does. */
    dropConnections() {
      for (const socket of sockets) socket.destroy()
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** PUBLISH packets the client wrote and PUBACKs it read, and the most that were ever outstanding. */
function countPackets(client: MqttClient) {
  const count = { published: 0, acked: 0, maxOutstanding: 0 }
  client.on('packetsend', (packet) => {
    if (packet.cmd !== 'publish') return
    count.published++
    count.maxOutstanding = Math.max(count.maxOutstanding, count.published - count.acked)
  })
  client.on('packetreceive', (packet) => {
    if (packet.cmd === 'puback') count.acked++
  })
  return count
}

const event = (n: number): NewUplinkMessage => ({
  topic: `${P}/events`,
  payload: Buffer.from(`event ${n}`),
  retain: false,
  kind: 'event',
  createdAt: T0 + n,
})
const alarmState = (id: string): NewUplinkMessage => ({
  topic: `${P}/alarms/${id}`,
  payload: Buffer.from(`alarm ${id}`),
  retain: true,
  kind: 'state',
  createdAt: T0,
})
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
const nextTurn = () => new Promise((resolve) => setImmediate(resolve))
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const nextEvent = (client: MqttClient, name: 'close' | 'connect') =>
  new Promise<void>((resolve) => client.once(name, () => resolve()))

describe('sending the durable queue to the central broker', () => {
  const journal = useTempJournal()
  const cleanups: (() => Promise<unknown> | unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function setUp(options: { maxInFlight?: number; ackFlushMs?: number; maxQueued?: number } = {}) {
    const broker = await startBroker()
    cleanups.push(() => broker.close())
    const acknowledged = { total: 0 }
    const dropped = { total: 0 }
    const startSender = (store: UplinkStore): UplinkSender => {
      const sender = createUplinkSender({
        store,
        maxInFlight: options.maxInFlight ?? 10,
        maxQueued: options.maxQueued ?? 1000,
        ackFlushMs: options.ackFlushMs ?? 20,
        onAcknowledged: (n) => {
          acknowledged.total += n
        },
        onDropped: (n) => {
          dropped.total += n
        },
      })
      cleanups.push(() => sender.stop())
      return sender
    }
    const connect = async () => {
      const client = await connectAsync(broker.url, {
        clientId: 'storeguard-test-store',
        clean: false,
        reconnectPeriod: 0,
      })
      cleanups.push(() => client.endAsync(true))
      return client
    }
    const store = createUplinkStore(journal.db)
    return { broker, store, sender: startSender(store), startSender, connect, acknowledged, dropped }
  }

  it('sends every message once, QoS 1, in the order it was queued, with its retain flag', async () => {
    const { broker, store, sender, connect, acknowledged } = await setUp({ maxInFlight: 4 })
    sender.connected(await connect())
    for (const n of range(12)) sender.enqueue(n % 4 === 0 ? alarmState(`a-${n}`) : event(n))
    await eventually(async () => (broker.received.length >= 12 ? true : undefined), 15_000, 'twelve messages')
    expect(broker.received.map((m) => m.payload)).toEqual(
      range(12).map((n) => (n % 4 === 0 ? `alarm a-${n}` : `event ${n}`)),
    )
    expect(broker.received.every((m) => m.qos === 1)).toBe(true)
    expect(broker.received.filter((m) => m.retain).map((m) => m.topic)).toEqual(
      [4, 8, 12].map((n) => `${P}/alarms/a-${n}`),
    )
    await eventually(async () => (store.size() === 0 ? true : undefined), 15_000, 'an empty queue')
    expect(acknowledged.total).toBe(12)
  })

  it('keeps at most maxInFlight messages unacknowledged at once', async () => {
    const { broker, sender, connect } = await setUp({ maxInFlight: 3 })
    const client = await connect()
    const packets = countPackets(client)
    broker.hold()
    sender.connected(client)
    for (const n of range(10)) sender.enqueue(event(n))
    await eventually(async () => (packets.published === 3 ? true : undefined), 15_000, 'three messages in flight')
    await pause(200)
    expect(packets.published).toBe(3)
    expect(sender.inFlight()).toBe(3)

    broker.release()
    await eventually(async () => (broker.payloads().length === 10 ? true : undefined), 15_000, 'all ten messages')
    expect(broker.payloads()).toEqual(range(10).map((n) => `event ${n}`))
    expect(packets.maxOutstanding).toBe(3)
  })

  it('deletes a message from the queue only after the broker acknowledged it, at the next ack flush', async () => {
    const { broker, store, sender, connect, acknowledged } = await setUp({ ackFlushMs: 1000 })
    const client = await connect()
    const packets = countPackets(client)
    broker.hold()
    sender.connected(client)
    sender.enqueue(event(1))
    sender.enqueue(event(2))
    await eventually(async () => (packets.published === 2 ? true : undefined), 15_000, 'two messages sent')
    await pause(300)
    expect(store.size()).toBe(2)

    const sizeAtAck: number[] = []
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback') sizeAtAck.push(store.size())
    })
    broker.release()
    await eventually(async () => (store.size() === 0 ? true : undefined), 15_000, 'the acknowledged messages deleted')
    expect(sizeAtAck).toEqual([2, 2])
    expect(acknowledged.total).toBe(2)
  })

  it('sends a message queued while the centre was away once the session is up', async () => {
    const { broker, store, sender, connect } = await setUp()
    sender.enqueue(event(1))
    sender.enqueue(alarmState('a-1'))
    await nextTurn()
    await pause(50)
    expect(store.size()).toBe(2)
    expect(broker.received).toEqual([])
    sender.connected(await connect())
    await eventually(async () => (broker.received.length === 2 ? true : undefined), 15_000, 'the queued messages')
    expect(broker.payloads()).toEqual(['event 1', 'alarm a-1'])
  })

  it('after a lost connection, resends what was in flight on the resumed session, then the rest', async () => {
    const { broker, store, sender, connect, acknowledged } = await setUp({ maxInFlight: 2 })
    const client = await connect()
    const packets = countPackets(client)
    broker.hold()
    sender.connected(client)
    for (const n of range(5)) sender.enqueue(event(n))
    await eventually(async () => (packets.published === 2 ? true : undefined), 15_000, 'two messages in flight')

    const closed = nextEvent(client, 'close')
    broker.dropConnections()
    await closed
    sender.disconnected()
    broker.forgetHeld()
    sender.enqueue(event(6))
    await nextTurn()
    // as the central link does: the same client and its stores, so mqtt.js keeps what it holds
    client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore })
    await nextEvent(client, 'connect')
    sender.connected(client)

    await eventually(async () => (store.size() === 0 ? true : undefined), 15_000, 'an empty queue')
    expect(broker.payloads()).toEqual(range(6).map((n) => `event ${n}`))
    expect(acknowledged.total).toBe(6)
    expect(sender.inFlight()).toBe(0)
  })

  it('after a restart, sends again what the broker never acknowledged', async () => {
    const { broker, sender, startSender, connect } = await setUp()
    const first = await connect()
    const packets = countPackets(first)
    broker.hold()
    sender.connected(first)
    sender.enqueue(event(1))
    sender.enqueue(event(2))
    await eventually(async () => (packets.published === 2 ? true : undefined), 15_000, 'two messages sent')
    sender.stop()
    await first.endAsync(true)
    broker.forgetHeld()

    const store = createUplinkStore(journal.reopen())
    expect(store.size()).toBe(2)
    const restarted = startSender(store)
    restarted.connected(await connect())
    await eventually(async () => (store.size() === 0 ? true : undefined), 15_000, 'an empty queue')
    expect(broker.received.map((m) => m.payload)).toEqual(['event 1', 'event 2'])
  })

  it('on stop, commits what was queued in the same turn, and sends nothing after', async () => {
    const { broker, sender } = await setUp()
    sender.enqueue(event(1))
    sender.enqueue(alarmState('a-1'))
    sender.stop()
    sender.enqueue(event(3))
    await nextTurn()
    const store = createUplinkStore(journal.reopen())
    expect(store.after(0, 10).map((m) => m.payload.toString())).toEqual(['event 1', 'alarm a-1'])
    expect(broker.received).toEqual([])
  })

  it('does not feed a client that is closing, and sends the message on the next connection', async () => {
    const { broker, store, sender, connect } = await setUp()
    const client = await connect()
    sender.connected(client)
    let attempts = 0
    const publish = client.publish.bind(client)
    // a guard, not a fake: a sender that retried in a loop would otherwise never give the test back
    client.publish = ((...args: Parameters<MqttClient['publish']>) => {
      if (++attempts > 100) throw new Error('the sender keeps publishing to a closing client')
      return publish(...args)
    }) as MqttClient['publish']
    const closed = nextEvent(client, 'close')
    void client.endAsync(true)
    sender.enqueue(event(1))
    await closed
    sender.disconnected()
    expect(attempts).toBe(0)
    expect(store.size()).toBe(1)

    sender.connected(await connect())
    await eventually(async () => (store.size() === 0 ? true : undefined), 15_000, 'an empty queue')
    expect(broker.payloads()).toEqual(['event 1'])
  })

  it('drops the oldest unsent telemetry when the queue is over its bound, and says so', async () => {
    const { store, sender, dropped } = await setUp({ maxQueued: 3 })
    const telemetry = (n: number): NewUplinkMessage => ({
      ...event(n),
      topic: `${P}/telemetry/t-${n}`,
      kind: 'telemetry',
    })
    for (const m of [telemetry(1), event(2), telemetry(3), event(4), event(5)]) sender.enqueue(m)
    await nextTurn()
    expect(store.after(0, 10).map((m) => m.payload.toString())).toEqual(['event 2', 'event 4', 'event 5'])
    expect(dropped.total).toBe(2)
  })
})
