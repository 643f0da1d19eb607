import { once } from 'node:events'
import { connect as netConnect } from 'node:net'
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'
import { generate, type Packet, parser } from 'mqtt-packet'
import { afterEach, describe, expect, it } from 'vitest'
import { connectPacket } from '../../test/support/mqttPackets.js'
import type { BrokerConfig, DeviceConfig } from '../config/schema.js'
import { createLogger } from '../log.js'
import { createMetrics, type GatewayMetrics } from '../metrics.js'
import { hashSecret } from '../security/secretHash.js'
import { createBrokerAcl } from './brokerAcl.js'
import { createEmbeddedBroker, type EmbeddedBroker } from './embeddedBroker.js'
import { testBrokerConfig } from './testing/brokerConfig.js'

/*
 * The real aedes broker on 127.0.0.1, port 0, driven by real mqtt.js clients
 * (docs/design.md#tests: no mocks of mqtt or aedes).
 */

const P = 'storeguard/demo-store'
const PASSWORD = {
  'smoke-1': 'smoke-pw-7f3a',
  'leak-1': 'leak-pw-91c2',
  console: 'console-pw-55d0',
  z2m: 'z2m-pw-0b6e',
}
const HASH = Object.fromEntries(Object.entries(PASSWORD).map(([k, v]) => [k, hashSecret(v)])) as Record<
  keyof typeof PASSWORD,
  string
>

const DEVICES: DeviceConfig[] = [
  { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: { passwordHash: HASH['smoke-1'] } },
  { id: 'leak-1', type: 'leak', zone: 'back', mqtt: { passwordHash: HASH['leak-1'], topic: 'zigbee2mqtt/leak' } },
  { id: 'door-1', type: 'door', zone: 'hall', mqtt: {} },
]

function brokerConfig(overrides: Partial<BrokerConfig>): BrokerConfig {
  return testBrokerConfig({
    maxPayloadBytes: 1024,
    clients: [
      {
        username: 'console',
        passwordHash: HASH.console,
        publish: [],
        subscribe: [`${P}/alarms/#`, `${P}/devices/+/state`],
      },
      { username: 'z2m', passwordHash: HASH.z2m, publish: ['zigbee2mqtt/#'], subscribe: ['zigbee2mqtt/#'] },
    ],
    ...overrides,
  })
}

interface Routed {
  readonly topic: string
  readonly payload: string
  readonly clientId: string | undefined
}

interface Harness {
  readonly broker: EmbeddedBroker
  readonly metrics: GatewayMetrics
  /** Every log line the broker wrote, as pino JSON. */
  readonly logText: () => string
  /** Packets aedes routed, as an in-process gateway listener sees them; clientId undefined for the gateway's own. */
  readonly published: Routed[]
  /** Moves the broker's clock, epoch ms. */
  setNow(ms: number): void
  connect(options: IClientOptions): Promise<MqttClient>
  /** The error a refused CONNECT ends with. */
  refusal(options: IClientOptions): Promise<Error & { code?: number }>
  refused(reason: string): Promise<number>
}

const open: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()))
})

async function startBroker(
  overrides: Partial<BrokerConfig> = {},
  clientPublish?: (topic: string, payload: string | Buffer, ack: () => void) => void,
): Promise<Harness> {
  const lines: string[] = []
  let nowMs = 1_700_000_000_000
  const metrics = createMetrics()
  const config = brokerConfig(overrides)
  const broker = await createEmbeddedBroker({
    config,
    acl: createBrokerAcl({ topicPrefix: P, broker: config, devices: DEVICES }),
    log: createLogger('trace', { write: (line: string) => void lines.push(line) }),
    metrics,
    now: () => nowMs,
    ...(clientPublish ? { clientPublish } : {}),
  })
  const clients: MqttClient[] = []
  open.push(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)))
    await broker.close()
  })
  const published: Routed[] = []
  broker.aedes.on('publish', (packet, client) => {
    if (!packet.topic.startsWith('$SYS'))
      published.push({ topic: packet.topic, payload: packet.payload.toString(), clientId: client?.id })
  })
  const url = `mqtt://127.0.0.1:${broker.port}`
  const base: IClientOptions = { reconnectPeriod: 0, protocolVersion: 4, connectTimeout: 5_000 }
  return {
    broker,
    metrics,
    logText: () => lines.join(''),
    published,
    setNow: (ms) => {
      nowMs = ms
    },
    async connect(options) {
      const client = await connectAsync(url, { ...base, ...options }, false)
      clients.push(client)
      return client
    },
    refusal: (options) =>
      connectAsync(url, { ...base, ...options }, false).then(
        async (client) => {
          await client.endAsync(true)
          throw new Error('expected the broker to refuse this CONNECT')
        },
        (err: Error & { code?: number }) => err,
      ),
    refused: async (reason) =>
      (await metrics.brokerRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0,
  }
}

const as = (username: keyof typeof PASSWORD, clientId = `${username}-${Math.random().toString(16).slice(2, 8)}`) => ({
  username,
  password: PASSWORD[username],
  clientId,
})

/** Resolves when the broker has dropped `client`'s connection. */
function closeOf(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()))
}

/** The SUBACK return codes for `filters`: the granted QoS, or 128 (0x80) for a refused filter. */
async function subackCodes(client: MqttClient, filters: string[], qos: 0 | 1 = 1): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos })).map((g) => g.qos)
  } catch (err) {
    // mqtt.js rejects the whole SUBSCRIBE when any filter is refused, with the SUBACK attached
    const granted = (err as { packet?: { granted?: number[] } }).packet?.granted
    if (granted === undefined) throw err
    return granted
  }
}

/** Resolves with the next message on `topic`, or undefined after `ms` (a refusal is silence). */
function nextMessage(client: MqttClient, topic: string, ms = 300): Promise<string | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(undefined), ms)
    const onMessage = (t: string, payload: Buffer) => t === topic && done(payload.toString())
    const done = (value: string | undefined) => {
      clearTimeout(timer)
      client.off('message', onMessage)
      resolve(value)
    }
    client.on('message', onMessage)
  })
}

describe('embedded broker: connecting', () => {
  it('listens on a free port when the config says 0', async () => {
    const h = await startBroker()
    expect(h.broker.port).toBeGreaterThan(0)
  })

  it('lets a device with the right password in, and the gateway sees its state in-process', async () => {
    const h = await startBroker()
    const device = await h.connect(as('smoke-1', 'smoke-1-client'))
    await device.publishAsync(`${P}/devices/smoke-1/state`, '{"smoke":true}', { qos: 1 })
    const seen = h.published.find((p) => p.topic === `${P}/devices/smoke-1/state`)
    expect(seen?.payload).toBe('{"smoke":true}')
    expect(seen?.clientId).toBe('smoke-1-client')
  })

  it('refuses a wrong password with CONNACK 5 "Not authorized" and counts it', async () => {
    const h = await startBroker()
    const err = await h.refusal({ username: 'smoke-1', password: 'guess', clientId: 'x' })
    expect(err.code).toBe(5)
    expect(err.message).toMatch(/Not authorized/)
    expect(await h.refused('bad_credentials')).toBe(1)
  })

  it('refuses an unknown username and a device that has no password hash', async () => {
    const h = await startBroker()
    expect((await h.refusal({ username: 'nobody', password: 'x' })).code).toBe(5)
    expect((await h.refusal({ username: 'door-1', password: '' })).code).toBe(5)
    expect(await h.refused('bad_credentials')).toBe(2)
  })

  it('refuses anonymous clients unless broker.allowAnonymous', async () => {
    const closed = await startBroker()
    expect((await closed.refusal({ clientId: 'anon' })).code).toBe(5)
    expect(await closed.refused('anonymous')).toBe(1)

    const opened = await startBroker({ allowAnonymous: true })
    const anon = await opened.connect({ clientId: 'anon' })
    await anon.publishAsync(`${P}/devices/door-1/state`, '{"open":true}', { qos: 1 })
    expect(opened.published.map((p) => p.topic)).toContain(`${P}/devices/door-1/state`)
  })

  it('does not let an anonymous client speak for a device that has credentials', async () => {
    const h = await startBroker({ allowAnonymous: true })
    const anon = await h.connect({ clientId: 'anon' })
    const closed = closeOf(anon)
    anon.publish(`${P}/devices/smoke-1/state`, '{"smoke":true}')
    await closed
    expect(h.published.map((p) => p.topic)).not.toContain(`${P}/devices/smoke-1/state`)
    expect(await h.refused('forbidden_publish')).toBe(1)
  })

  it('keeps a client id owned by whoever holds it: a device cannot kick the console off', async () => {
    const h = await startBroker()
    const consoleClient = await h.connect(as('console', 'console-main'))
    const err = await h.refusal(as('smoke-1', 'console-main'))
    expect(err.code).toBe(2) // identifier rejected
    expect(consoleClient.connected).toBe(true)
    expect(await h.refused('client_id_taken')).toBe(1)
  })

  it('refuses a CONNECT whose will would publish on a gateway-only topic', async () => {
    const h = await startBroker()
    const err = await h.refusal({
      ...as('smoke-1'),
      will: { topic: `${P}/gateway/status`, payload: Buffer.from('offline'), qos: 1, retain: true },
    })
    expect(err.code).toBe(5)
    expect(await h.refused('forbidden_will')).toBe(1)
  })
})

describe('embedded broker: publishing', () => {
  it("disconnects a device that publishes on another device's topic; nobody receives it", async () => {
    const h = await startBroker()
    const consoleClient = await h.connect(as('console'))
    await consoleClient.subscribeAsync(`${P}/devices/+/state`)
    const received: string[] = []
    consoleClient.on('message', (topic) => received.push(topic))

    const rogue = await h.connect(as('smoke-1', 'rogue'))
    const closed = closeOf(rogue)
    rogue.publish(`${P}/devices/leak-1/state`, '{"water_leak":false}')
    await closed

    // a legitimate message sent afterwards arrives, so the forged one had its chance and was dropped
    const leak = await h.connect(as('leak-1'))
    const marker = nextMessage(consoleClient, `${P}/devices/leak-1/state`, 2_000)
    await leak.publishAsync(`${P}/devices/leak-1/state`, '{"water_leak":true}', { qos: 1 })
    expect(await marker).toBe('{"water_leak":true}')
    expect(received).toEqual([`${P}/devices/leak-1/state`])
    expect(h.published.filter((p) => p.clientId === 'rogue')).toEqual([])
    expect(await h.refused('forbidden_publish')).toBe(1)
  })

  it('refuses its reconnects during the backoff, by client id and by username, then lets it back', async () => {
    const h = await startBroker({ forbiddenBackoffSec: 30 })
    h.setNow(1_000_000)
    const rogue = await h.connect(as('smoke-1', 'rogue'))
    const closed = closeOf(rogue)
    rogue.publish(`${P}/alarms/fake`, '{}')
    await closed

    h.setNow(1_000_000 + 29_000)
    expect((await h.refusal(as('smoke-1', 'rogue'))).code).toBe(5)
    expect((await h.refusal(as('smoke-1', 'fresh-id'))).code).toBe(5)
    expect(await h.refused('backoff')).toBe(2)

    h.setNow(1_000_000 + 30_000)
    const back = await h.connect(as('smoke-1', 'rogue'))
    expect(back.connected).toBe(true)
  })

  it('a device looping on a forbidden publish is counted every time, refused for each back-off and logged at a bounded rate', async () => {
    const h = await startBroker({ forbiddenBackoffSec: 30 })
    const start = 1_000_000
    const cycles = 4
    const retriesPerCycle = 5
    for (let cycle = 0; cycle < cycles; cycle++) {
      // each back-off ends exactly 30 s after the forbidden publish that started it
      const at = start + cycle * 30_000
      h.setNow(at)
      const rogue = await h.connect(as('smoke-1', 'rogue'))
      const closed = closeOf(rogue)
      rogue.publish(`${P}/devices/leak-1/state`, '{"water_leak":false}')
      await closed
      // the device reconnects at once, again and again: each attempt is a cheap CONNACK 5
      for (let retry = 1; retry <= retriesPerCycle; retry++) {
        h.setNow(at + retry * 1_000)
        expect((await h.refusal(as('smoke-1', 'rogue'))).code).toBe(5)
      }
    }
    expect(await h.refused('forbidden_publish')).toBe(cycles)
    expect(await h.refused('backoff')).toBe(cycles * retriesPerCycle)
    expect(h.published.filter((p) => p.clientId === 'rogue')).toEqual([])

    const refusalLines = (reason: string) =>
      h
        .logText()
        .split('\n')
        .filter((l) => l.includes('"msg":"mqtt client refused"') && l.includes(`"reason":"${reason}"`))
    // the retries of one cycle fall in one 10 s log window: one line each cycle, not one per retry
    expect(refusalLines('backoff')).toHaveLength(cycles)
    expect(refusalLines('forbidden_publish')).toHaveLength(cycles)
    expect(refusalLines('backoff').at(-1)).toContain(`"suppressed":${retriesPerCycle - 1}`)
  })

  it('without a back-off, a tight forbidden-publish loop is still counted every time and logged once a window', async () => {
    const h = await startBroker({ forbiddenBackoffSec: 0 })
    h.setNow(2_000_000)
    const loops = 6
    for (let i = 0; i < loops; i++) {
      h.setNow(2_000_000 + i * 1_000)
      const rogue = await h.connect(as('smoke-1', 'rogue'))
      const closed = closeOf(rogue)
      rogue.publish(`${P}/alarms/fake`, '{}')
      await closed
    }
    expect(await h.refused('forbidden_publish')).toBe(loops)
    expect(await h.refused('backoff')).toBe(0)
    const lines = h
      .logText()
      .split('\n')
      .filter((l) => l.includes('"msg":"mqtt client refused"'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('"reason":"forbidden_publish"')
  })

  it('disconnects a client whose payload exceeds broker.maxPayloadBytes and drops the message', async () => {
    const h = await startBroker({ maxPayloadBytes: 1024 })
    const device = await h.connect(as('smoke-1'))
    const closed = closeOf(device)
    device.publish(`${P}/devices/smoke-1/state`, Buffer.alloc(1025, 0x20))
    await closed
    expect(h.published).toEqual([])
    expect(await h.refused('oversized')).toBe(1)
  })

  it('lets a bridge publish within its filters', async () => {
    const h = await startBroker()
    const bridge = await h.connect(as('z2m'))
    await bridge.publishAsync('zigbee2mqtt/leak', '{"water_leak":true}', { qos: 1 })
    expect(h.published.map((p) => p.topic)).toEqual(['zigbee2mqtt/leak'])
  })
})

describe('embedded broker: subscribing', () => {
  const alarm = {
    topic: `${P}/alarms/a-1`,
    payload: Buffer.from('{"id":"a-1"}'),
    qos: 1 as const,
    retain: true,
    cmd: 'publish' as const,
    dup: false,
  }

  it('gives a client without rights on alarms/# SUBACK 0x80 and no alarms, while the console gets them', async () => {
    const h = await startBroker()
    const consoleClient = await h.connect(as('console'))
    const bridge = await h.connect(as('z2m'))
    expect(await subackCodes(consoleClient, [`${P}/alarms/#`])).toEqual([1])
    expect(await subackCodes(bridge, [`${P}/alarms/#`])).toEqual([128])
    expect(bridge.connected).toBe(true) // a refused SUBSCRIBE keeps the connection

    const toConsole = nextMessage(consoleClient, alarm.topic, 2_000)
    const toBridge = nextMessage(bridge, alarm.topic, 300)
    // the gateway publishes in-process (client === null), past the ACL
    await new Promise<void>((resolve, reject) =>
      h.broker.aedes.publish(alarm, (err) => (err ? reject(err) : resolve())),
    )
    expect(await toConsole).toBe('{"id":"a-1"}')
    expect(await toBridge).toBeUndefined()
    expect(await h.refused('forbidden_subscribe')).toBe(1)
  })

  it('does not hand a retained alarm to a device that asks for everything', async () => {
    const h = await startBroker()
    await new Promise<void>((resolve) => h.broker.aedes.publish(alarm, () => resolve()))
    const device = await h.connect(as('smoke-1'))
    expect(await subackCodes(device, ['#'])).toEqual([128])
    expect(await nextMessage(device, alarm.topic)).toBeUndefined()
  })

  it('grants mixed SUBSCRIBE filters one by one', async () => {
    const h = await startBroker()
    const device = await h.connect(as('smoke-1'))
    expect(await subackCodes(device, [`${P}/devices/smoke-1/cmd`, `${P}/devices/leak-1/cmd`])).toEqual([1, 128])
    expect(device.connected).toBe(true)
  })
})

describe('embedded broker: logs and shutdown', () => {
  it('never writes a password to the log, even at trace level', async () => {
    const h = await startBroker()
    await h.connect(as('smoke-1'))
    await h.refusal({ username: 'smoke-1', password: 'wrong-pw-3e1d', clientId: 'bad' })
    await h.refusal({ username: 'console', password: PASSWORD['leak-1'], clientId: 'mixup' })
    const text = h.logText()
    expect(text).toContain('"reason":"bad_credentials"')
    expect(text).toContain('"username":"smoke-1"')
    for (const secret of [...Object.values(PASSWORD), 'wrong-pw-3e1d']) expect(text).not.toContain(secret)
  })

  it('logs refusals at a bounded rate while counting every one', async () => {
    const h = await startBroker()
    for (let i = 0; i < 5; i++) await h.refusal({ username: 'smoke-1', password: `wrong-${i}`, clientId: `c${i}` })
    const warnings = h
      .logText()
      .split('\n')
      .filter((l) => l.includes('mqtt client refused'))
    expect(warnings).toHaveLength(1)
    expect(await h.refused('bad_credentials')).toBe(5)
  })

  it('fails with broker_unavailable when its port is taken', async () => {
    const h = await startBroker()
    const config = brokerConfig({ port: h.broker.port ?? 0 })
    const second = createEmbeddedBroker({
      config,
      acl: createBrokerAcl({ topicPrefix: P, broker: config, devices: DEVICES }),
      log: createLogger('silent'),
      metrics: createMetrics(),
    })
    await expect(second).rejects.toMatchObject({ code: 'broker_unavailable' })
  })

  it('hands a QoS 2 message sent twice before its PUBREL to the gateway once, and answers PUBREC to both', async () => {
    const handed: string[] = []
    const h = await startBroker({}, (topic, payload, ack) => {
      handed.push(`${topic} ${payload.toString()}`)
      ack()
    })
    const raw = netConnect(h.broker.port ?? 0, '127.0.0.1')
    await once(raw, 'connect')
    const received: Packet[] = []
    const read = parser({ protocolVersion: 4 })
    read.on('packet', (packet) => received.push(packet))
    raw.on('data', (chunk) => read.parse(chunk))
    const until = async (count: number, cmd: Packet['cmd']) => {
      while (received.filter((p) => p.cmd === cmd).length < count) await once(read, 'packet')
    }
    const { username, password, clientId } = as('smoke-1')
    raw.write(connectPacket({ clientId, username, password }))
    await until(1, 'connack')
    const publish = {
      cmd: 'publish',
      topic: `${P}/devices/smoke-1/state`,
      payload: '{"smoke":true}',
      qos: 2,
      messageId: 7,
      retain: false,
    } as const
    raw.write(generate({ ...publish, dup: false }))
    await until(1, 'pubrec')
    // the device never saw the PUBREC (say), so it sends the same message again, as it must
    raw.write(generate({ ...publish, dup: true }))
    await until(2, 'pubrec')
    raw.write(generate({ cmd: 'pubrel', messageId: 7 }))
    await until(1, 'pubcomp')
    raw.destroy()
    expect(handed).toEqual([`${P}/devices/smoke-1/state {"smoke":true}`])
    expect(h.published.filter((p) => p.topic === publish.topic)).toHaveLength(1)
  })

  it('close() drops clients, even ones that never sent CONNECT, and resolves', async () => {
    const h = await startBroker()
    const device = await h.connect(as('smoke-1'))
    const raw = netConnect(h.broker.port ?? 0, '127.0.0.1')
    await once(raw, 'connect')
    const deviceClosed = closeOf(device)
    const rawClosed = once(raw, 'close')
    await h.broker.close()
    await Promise.all([deviceClosed, rawClosed])
    await h.broker.close() // idempotent
    expect(h.broker.aedes.closed).toBe(true)
  })
})
