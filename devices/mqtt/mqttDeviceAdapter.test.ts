import { Aedes } from 'aedes'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmbeddedBus } from '../../gateway/bus/embeddedBus.js'
import type { Clock } from '../../gateway/core/clock.js'
import type { Reading } from '../../gateway/core/reading.js'
import type { AdapterOutput, CommStatus, DeviceAdapter, MqttMessageSource } from '../adapter.js'
import type { RejectReason } from '../decoders/decodeResult.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createMqttDeviceAdapter } from './mqttDeviceAdapter.js'

const STORE = 'store-7'
const PREFIX = `storeguard/${STORE}`
const MAX_PAYLOAD_BYTES = 256

const DEVICES: DeviceConfig[] = [
  {
    id: 'smoke-hall-1',
    type: 'smoke',
    zone: 'hall',
    mqtt: { topic: 'zigbee2mqtt/smoke_hall_1', format: 'zigbee2mqtt' },
  },
  { id: 'leak-back-1', type: 'leak', zone: 'backroom', mqtt: { topic: 'zigbee2mqtt/leak_back_1' } },
  { id: 'terminal-1', type: 'terminal', zone: 'self-service', mqtt: { format: 'json' } },
  { id: 'panic-1', type: 'panic_button', zone: 'counter', mqtt: { format: 'bare' } },
  { id: 'panic-z2m', type: 'panic_button', zone: 'counter', mqtt: { topic: 'zigbee2mqtt/panic_counter' } },
]

interface Rejection {
  readonly reason: RejectReason
  readonly topic?: string
  readonly deviceId?: string
  readonly detail: string
}

function recordingOutput(): {
  output: AdapterOutput
  readings: Reading[]
  rejections: Rejection[]
  statuses: { deviceId: string; status: CommStatus }[]
} {
  const readings: Reading[] = []
  const rejections: Rejection[] = []
  const statuses: { deviceId: string; status: CommStatus }[] = []
  return {
    readings,
    rejections,
    statuses,
    output: {
      reading: (reading) => readings.push(reading),
      rejected: (reason, detail) => rejections.push({ reason, ...detail }),
      // only zigbee2mqtt's availability speaks of an MQTT device's communication
      commStatus: (deviceId, status) => statuses.push({ deviceId, status }),
    },
  }
}

/** MQTT wildcard match, enough for the filters the adapter subscribes to. */
function matches(filter: string, topic: string): boolean {
  const f = filter.split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false
  }
  return f.length === t.length
}

/**
 * An in-memory MqttMessageSource: a broker reduced to "deliver to matching subscriptions".
 * `overDeliver` hands every message to every handler, as a source shared with a wider subscription might.
 */
function memorySource(overDeliver = false): MqttMessageSource & {
  publish(topic: string, payload: string | Buffer): void
  filters(): string[]
  unsubscribes(): number
} {
  const subscriptions = new Map<string, (topic: string, payload: Buffer) => void>()
  let unsubscribes = 0
  return {
    subscribe: async (filters, handler) => {
      for (const f of filters) subscriptions.set(f, handler)
    },
    unsubscribe: async (filters) => {
      unsubscribes++
      for (const f of filters) subscriptions.delete(f)
    },
    unsubscribes: () => unsubscribes,
    publish(topic, payload) {
      const buffer = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload
      const handlers = [...subscriptions].filter(([filter]) => overDeliver || matches(filter, topic)).map(([, h]) => h)
      for (const handler of new Set(handlers)) handler(topic, buffer)
    },
    filters: () => [...subscriptions.keys()],
  }
}

function manualClock(startMs: number): Clock & { advance(ms: number): void } {
  let now = startMs
  return { now: () => now, advance: (ms) => (now += ms) }
}

async function startAdapter(options: { overDeliver?: boolean } = {}) {
  const source = memorySource(options.overDeliver)
  const clock = manualClock(Date.UTC(2026, 10, 23, 2, 0, 0))
  const recorded = recordingOutput()
  const adapter = createMqttDeviceAdapter({
    store: STORE,
    topicPrefix: PREFIX,
    devices: DEVICES,
    source,
    output: recorded.output,
    maxPayloadBytes: MAX_PAYLOAD_BYTES,
    clock,
  })
  await adapter.start()
  return { adapter, source, clock, ...recorded }
}

const valuesOf = (readings: readonly Reading[]) => Object.fromEntries(readings.map((r) => [r.metric, r.value]))

describe('the MQTT device adapter', () => {
  it('turns a JSON state message into readings carrying store, device, type, zone and the receive time', async () => {
    const { source, clock, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"ok","paper_low":false,"uptime_sec":3600}')
    expect(rejections).toEqual([])
    expect(readings).toEqual([
      {
        store: STORE,
        deviceId: 'terminal-1',
        deviceType: 'terminal',
        zone: 'self-service',
        metric: 'status',
        value: 'ok',
        ts: clock.now(),
        quality: 'good',
      },
      {
        store: STORE,
        deviceId: 'terminal-1',
        deviceType: 'terminal',
        zone: 'self-service',
        metric: 'paper_low',
        value: false,
        ts: clock.now(),
        quality: 'good',
      },
      {
        store: STORE,
        deviceId: 'terminal-1',
        deviceType: 'terminal',
        zone: 'self-service',
        metric: 'uptime_sec',
        value: 3600,
        ts: clock.now(),
        quality: 'good',
      },
    ])
  })

  it('stamps each message with the injected clock at the time it arrives', async () => {
    const { source, clock, readings } = await startAdapter()
    const first = clock.now()
    source.publish(`${PREFIX}/devices/panic-1/pressed`, 'false')
    clock.advance(1500)
    source.publish(`${PREFIX}/devices/panic-1/pressed`, 'true')
    expect(readings.map((r) => [r.value, r.ts])).toEqual([
      [false, first],
      [true, first + 1500],
    ])
  })

  it('reads an off-the-shelf Zigbee smoke detector on its zigbee2mqtt topic, dropping bookkeeping silently', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(
      'zigbee2mqtt/smoke_hall_1',
      JSON.stringify({
        battery: 100,
        battery_low: false,
        linkquality: 87,
        smoke: true,
        tamper: false,
        voltage: 3000,
        last_seen: '2026-11-23T10:00:00+08:00',
        update: { state: 'idle' },
      }),
    )
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({
      battery: 100,
      battery_low: false,
      linkquality: 87,
      smoke: true,
      tamper: false,
      voltage: 3000,
    })
    expect(new Set(readings.map((r) => `${r.deviceId}/${r.deviceType}/${r.zone}`))).toEqual(
      new Set(['smoke-hall-1/smoke/hall']),
    )
  })

  it('reads every zigbee2mqtt key a smoke detector sends: temperature, tamper and battery state too', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(
      'zigbee2mqtt/smoke_hall_1',
      JSON.stringify({
        smoke: false,
        temperature: 31.5,
        tamper: true,
        battery: 12,
        battery_low: true,
        battery_state: 'low',
        linkquality: 40,
        action: 'test', // not a smoke metric: dropped without a rejection
      }),
    )
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({
      smoke: false,
      temperature: 31.5,
      tamper: true,
      battery: 12,
      battery_low: true,
      battery_state: 'low',
      linkquality: 40,
    })
  })

  it('reads a zigbee2mqtt panic button: its action, tamper and battery state', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(
      'zigbee2mqtt/panic_counter',
      '{"action":"emergency","tamper":false,"battery":64,"battery_low":false,"battery_state":"medium","linkquality":96}',
    )
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({
      action: 'emergency',
      tamper: false,
      battery: 64,
      battery_low: false,
      battery_state: 'medium',
      linkquality: 96,
    })
    expect(new Set(readings.map((r) => `${r.deviceId}/${r.deviceType}`))).toEqual(new Set(['panic-z2m/panic_button']))
  })

  it('silently ignores keys in a JSON message that the device type does not declare', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish('zigbee2mqtt/leak_back_1', '{"water_leak":true,"device_temperature":27,"power_outage_count":3}')
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({ water_leak: true })
  })

  it('ignores keys that happen to be Object.prototype names instead of rejecting the message', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"ok","constructor":1,"toString":"x","__proto__":2}')
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({ status: 'ok' })
  })

  it('rejects a metric of the wrong type as wrong_type and still reads the other metrics of the message', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish('zigbee2mqtt/smoke_hall_1', '{"smoke":"yes","battery":80,"tamper":false}')
    expect(rejections).toEqual([
      {
        reason: 'wrong_type',
        topic: 'zigbee2mqtt/smoke_hall_1',
        deviceId: 'smoke-hall-1',
        detail: expect.stringContaining('smoke'),
      },
    ])
    expect(valuesOf(readings)).toEqual({ battery: 80, tamper: false })
  })

  it('counts a null, a non-finite number or an object on a metric of the device and reads the rest', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish('zigbee2mqtt/smoke_hall_1', '{"smoke":true,"battery":null,"temperature":1e999,"tamper":{"x":1}}')
    expect(rejections.map((r) => [r.reason, r.deviceId])).toEqual([
      ['null_value', 'smoke-hall-1'],
      ['out_of_range', 'smoke-hall-1'],
      ['wrong_type', 'smoke-hall-1'],
    ])
    expect(valuesOf(readings)).toEqual({ smoke: true })
  })

  it('keeps the good fields of a terminal message whose fault code list is broken, and counts the list', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"fault","fault_codes":["printer",7]}')
    expect(rejections.map((r) => r.reason)).toEqual(['wrong_type'])
    expect(valuesOf(readings)).toEqual({ status: 'fault' })
  })

  it('ignores a bad value under a key the device type does not have, like any extra key', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"ok","diag":{"fw":"1.2"},"note":null}')
    expect(rejections).toEqual([])
    expect(valuesOf(readings)).toEqual({ status: 'ok' })
  })

  it('counts a message with nothing but keys the device type does not have once, as unknown_metric', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"state":"ok","codes":"printer","blob":null}')
    expect(rejections).toEqual([
      {
        reason: 'unknown_metric',
        topic: `${PREFIX}/devices/terminal-1/state`,
        deviceId: 'terminal-1',
        detail: 'no terminal metric among state, codes, blob',
      },
    ])
    expect(readings).toEqual([])
  })

  it('counts neither zigbee2mqtt bookkeeping alone nor its action clearing', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish('zigbee2mqtt/panic_counter', '{"action":"","last_seen":"2026-11-23T10:00:00+08:00"}')
    source.publish('zigbee2mqtt/panic_counter', '{"update":{"state":"idle"},"update_available":null}')
    expect(rejections).toEqual([])
    expect(readings).toEqual([])
  })

  it('rejects an empty JSON object as empty', async () => {
    const { source, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{}')
    expect(rejections.map((r) => r.reason)).toEqual(['empty'])
  })

  it('rejects a bare number too large to be finite as out_of_range', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/uptime_sec`, '1e999')
    expect(rejections.map((r) => r.reason)).toEqual(['out_of_range'])
    expect(readings).toEqual([])
  })

  it('reads a bare value on a metric topic', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/panic-1/pressed`, 'ON')
    source.publish(`${PREFIX}/devices/panic-1/battery`, '97')
    expect(rejections).toEqual([])
    expect(readings.map((r) => [r.deviceId, r.metric, r.value])).toEqual([
      ['panic-1', 'pressed', true],
      ['panic-1', 'battery', 97],
    ])
  })

  it('reads 1 and 0 on a boolean metric as on and off, as many devices send them', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/panic-1/pressed`, '1')
    source.publish(`${PREFIX}/devices/panic-1/pressed`, '0')
    source.publish(`${PREFIX}/devices/panic-1/pressed`, '2')
    expect(readings.map((r) => r.value)).toEqual([true, false])
    expect(rejections.map((r) => r.reason)).toEqual(['wrong_type'])
  })

  it('rejects a bare value of the wrong type as wrong_type', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/panic-1/battery`, 'full')
    expect(readings).toEqual([])
    expect(rejections.map((r) => [r.reason, r.deviceId])).toEqual([['wrong_type', 'panic-1']])
  })

  it('rejects a bare topic naming a metric the device type does not have as unknown_metric', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/panic-1/colour`, 'red')
    source.publish(`${PREFIX}/devices/panic-1/constructor`, '1')
    expect(readings).toEqual([])
    expect(rejections.map((r) => [r.reason, r.deviceId, r.detail])).toEqual([
      ['unknown_metric', 'panic-1', 'colour'],
      ['unknown_metric', 'panic-1', 'constructor'],
    ])
  })

  it('rejects a payload over maxPayloadBytes as oversized, and accepts one exactly at the limit', async () => {
    const { source, readings, rejections } = await startAdapter()
    const atLimit = (fill: number) => `{"status":"ok","fault_codes":"${'x'.repeat(fill)}"}`
    const base = Buffer.byteLength(atLimit(0))
    source.publish(`${PREFIX}/devices/terminal-1/state`, atLimit(MAX_PAYLOAD_BYTES - base + 1))
    expect(rejections.map((r) => [r.reason, r.deviceId])).toEqual([['oversized', 'terminal-1']])
    expect(readings).toEqual([])
    source.publish(`${PREFIX}/devices/terminal-1/state`, atLimit(MAX_PAYLOAD_BYTES - base))
    expect(rejections).toHaveLength(1)
    expect(valuesOf(readings).status).toBe('ok')
  })

  it('counts bytes, not characters, against maxPayloadBytes', async () => {
    const { source, rejections } = await startAdapter()
    const chinese = '报'.repeat(Math.ceil(MAX_PAYLOAD_BYTES / 3) + 1) // 3 bytes each in UTF-8
    expect(chinese.length).toBeLessThan(MAX_PAYLOAD_BYTES)
    source.publish(`${PREFIX}/devices/terminal-1/status`, chinese)
    expect(rejections.map((r) => r.reason)).toEqual(['oversized'])
  })

  it('rejects malformed JSON as malformed_json with the topic and device', async () => {
    const { source, readings, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"ok"')
    expect(readings).toEqual([])
    expect(rejections).toMatchObject([
      { reason: 'malformed_json', topic: `${PREFIX}/devices/terminal-1/state`, deviceId: 'terminal-1' },
    ])
  })

  it('rejects a JSON array or an empty state message', async () => {
    const { source, rejections } = await startAdapter()
    source.publish(`${PREFIX}/devices/terminal-1/state`, '[{"status":"ok"}]')
    source.publish(`${PREFIX}/devices/terminal-1/state`, '')
    expect(rejections.map((r) => r.reason)).toEqual(['not_an_object', 'empty'])
  })

  it('rejects messages from an unknown device or on a topic it did not ask for, and keeps going', async () => {
    const { source, readings, rejections } = await startAdapter({ overDeliver: true })
    source.publish(`${PREFIX}/devices/smoke-ghost/state`, '{"smoke":true}')
    source.publish(`${PREFIX}/devices/terminal-1/state/extra`, '{"status":"ok"}')
    source.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":"ok"}')
    expect(rejections).toMatchObject([
      { reason: 'unknown_device', topic: `${PREFIX}/devices/smoke-ghost/state` },
      { reason: 'unknown_topic', topic: `${PREFIX}/devices/terminal-1/state/extra` },
    ])
    expect(readings.map((r) => r.metric)).toEqual(['status'])
  })

  it('puts a zigbee2mqtt device in comm fault when zigbee2mqtt says it is offline, and out when it is back', async () => {
    const { source, statuses, rejections, readings } = await startAdapter()
    const topic = 'zigbee2mqtt/smoke_hall_1/availability'
    source.publish(topic, 'online')
    source.publish(topic, '{"state":"offline"}')
    source.publish(topic, 'offline')
    source.publish(topic, '{"state":"online"}')
    expect(statuses).toEqual([
      { deviceId: 'smoke-hall-1', status: { ok: true, reason: null, detail: '' } },
      {
        deviceId: 'smoke-hall-1',
        status: { ok: false, reason: 'connection_lost', detail: 'zigbee2mqtt reports it offline' },
      },
      { deviceId: 'smoke-hall-1', status: { ok: true, reason: null, detail: '' } },
    ])
    expect(readings).toEqual([])
    expect(rejections).toEqual([])
  })

  it('counts an availability payload that is neither online nor offline or too large, and ignores a cleared one', async () => {
    const { source, statuses, rejections } = await startAdapter()
    source.publish('zigbee2mqtt/panic_counter/availability', 'maybe')
    source.publish('zigbee2mqtt/panic_counter/availability', '{"state":1}')
    source.publish('zigbee2mqtt/panic_counter/availability', '')
    source.publish(
      'zigbee2mqtt/panic_counter/availability',
      `{"state":"offline","x":"${'x'.repeat(MAX_PAYLOAD_BYTES)}"}`,
    )
    expect(rejections).toMatchObject([
      { reason: 'wrong_type', deviceId: 'panic-z2m' },
      { reason: 'wrong_type', deviceId: 'panic-z2m' },
      { reason: 'oversized', deviceId: 'panic-z2m' },
    ])
    expect(statuses).toEqual([])
  })

  it('stops receiving after stop()', async () => {
    const { adapter, source, readings } = await startAdapter()
    expect(source.filters().length).toBeGreaterThan(0)
    await adapter.stop()
    expect(source.filters()).toEqual([])
    source.publish(`${PREFIX}/devices/panic-1/pressed`, 'true')
    expect(readings).toEqual([])
  })

  it('unsubscribes once when stopped twice', async () => {
    const { adapter, source } = await startAdapter()
    await adapter.stop()
    await adapter.stop()
    expect(source.unsubscribes()).toBe(1)
  })
})

describe('the MQTT device adapter on the real embedded broker', () => {
  let aedes: Aedes | undefined
  let adapter: DeviceAdapter | undefined

  afterEach(async () => {
    await adapter?.stop()
    if (aedes) {
      const closing = aedes
      await new Promise<void>((resolve) => closing.close(() => resolve()))
    }
    aedes = undefined
    adapter = undefined
  })

  it('reads zigbee2mqtt and per-metric messages published through aedes, and rejects bad ones', async () => {
    aedes = await Aedes.createBroker()
    const busErrors: Error[] = []
    const bus = createEmbeddedBus(aedes, (err) => busErrors.push(err))
    const { output, readings, rejections } = recordingOutput()
    const clock = manualClock(1_800_000_000_000)
    adapter = createMqttDeviceAdapter({
      store: STORE,
      topicPrefix: PREFIX,
      devices: DEVICES,
      source: bus,
      output,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      clock,
    })
    await adapter.start()

    bus.publish('zigbee2mqtt/smoke_hall_1', '{"smoke":true,"battery":100,"last_seen":"2026-11-23T10:00:00+08:00"}')
    bus.publish(`${PREFIX}/devices/panic-1/pressed`, 'true')
    bus.publish(`${PREFIX}/devices/terminal-1/state`, '{"status":')
    bus.publish('zigbee2mqtt/bridge/state', 'online') // not subscribed: never reaches the adapter

    await vi.waitFor(() => expect(readings.length + rejections.length).toBeGreaterThanOrEqual(4))
    expect(readings.map((r) => [r.deviceId, r.metric, r.value, r.ts])).toEqual([
      ['smoke-hall-1', 'smoke', true, clock.now()],
      ['smoke-hall-1', 'battery', 100, clock.now()],
      ['panic-1', 'pressed', true, clock.now()],
    ])
    expect(rejections.map((r) => [r.reason, r.deviceId])).toEqual([['malformed_json', 'terminal-1']])
    expect(busErrors).toEqual([])
  })
})

describe('the MQTT device adapter after a config reload', () => {
  it('reads a new device on its own topic, refuses a removed one as unknown, and drops the removed topic', async () => {
    const { adapter, source, readings, rejections } = await startAdapter()
    const added: DeviceConfig = {
      id: 'leak-new',
      type: 'leak',
      zone: 'office',
      mqtt: { topic: 'zigbee2mqtt/leak_new' },
    }
    await adapter.reload?.([...DEVICES.filter((d) => d.id !== 'leak-back-1'), added])
    expect(source.filters()).toContain('zigbee2mqtt/leak_new')
    expect(source.filters()).not.toContain('zigbee2mqtt/leak_back_1')
    source.publish('zigbee2mqtt/leak_new', '{"water_leak":true}')
    expect(readings.map((r) => [r.deviceId, r.metric, r.value])).toEqual([['leak-new', 'water_leak', true]])
    source.publish(`${PREFIX}/devices/leak-back-1/state`, '{"water_leak":true}')
    expect(rejections.map((r) => r.reason)).toEqual(['unknown_device'])
  })
})
