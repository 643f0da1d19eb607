import { describe, expect, it } from 'vitest'
import type { AdapterOutput, DeviceAdapter, MqttMessageSource } from '../../devices/adapter.js'
import { modbusDevice, rtuBus, tcpBus } from '../../test/support/modbusConfig.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { DeviceConfig } from '../config/schema.js'
import { systemClock } from '../core/clock.js'
import { createLogger } from '../log.js'
import { createFieldAdapters } from '../main/fieldAdapters.js'
import { TRANSPORTS } from './registry.js'
import type { Transport, TransportDeps } from './transport.js'

const output: AdapterOutput = { reading: () => undefined, rejected: () => undefined, commStatus: () => undefined }
const source: MqttMessageSource = { subscribe: async () => undefined, unsubscribe: async () => undefined }
const log = createLogger('silent')

/** The parts of a loaded config the transports read. */
function config(devices: readonly DeviceConfig[], buses = [rtuBus('rs485', '/dev/null'), tcpBus('tcp', 1502)]) {
  return {
    store: { id: 'store-1' },
    topicPrefix: 'storeguard/store-1',
    broker: { maxPayloadBytes: 1024 },
    devices,
    modbus: { buses },
    gpio: { driver: 'simulated', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
    storage: { dataDir: '/nonexistent' },
  } as unknown as LoadedConfig
}

function deps(c: LoadedConfig): TransportDeps {
  return { config: c, clock: systemClock, log, output, messages: source, modbusBuses: c.modbus.buses }
}

const configured = (c: LoadedConfig) => TRANSPORTS.filter((t) => t.configured(deps(c))).map((t) => t.name)

const SMOKE: DeviceConfig = { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: {} }
const PANIC: DeviceConfig = {
  id: 'panic-1',
  type: 'panic_button',
  zone: 'counter',
  mqtt: {},
  gpio: { direction: 'in', line: 17, activeLow: true, bias: 'pull-up', wiring: 'nc', debounceMs: 30 },
}
const UPS = modbusDevice('ups', 'power', { bus: 'rs485', profile: 'ups-modbus' })
const LEVEL = modbusDevice('level', 'water_level', { bus: 'tcp', profile: 'water-level-4-20ma' })

describe('the transports registry', () => {
  it('always reads MQTT, and each field bus only when a device is on it', () => {
    expect(configured(config([SMOKE]))).toEqual(['mqtt'])
    expect(configured(config([SMOKE, LEVEL]))).toEqual(['modbus_tcp', 'mqtt'])
    expect(configured(config([SMOKE, UPS, LEVEL, PANIC]))).toEqual(['modbus_rtu', 'modbus_tcp', 'gpio', 'mqtt'])
  })

  it('leaves out a Modbus device whose line is not among those to poll', () => {
    // the demo without socat: its simulated RS-485 line is missing, and so is the device on it
    expect(configured(config([UPS, LEVEL], [tcpBus('tcp', 1502)]))).toEqual(['modbus_tcp', 'mqtt'])
  })

  it('builds each configured adapter, its devices only', async () => {
    const c = config([SMOKE, UPS, LEVEL])
    const adapters = await Promise.all(TRANSPORTS.filter((t) => t.configured(deps(c))).map((t) => t.create(deps(c))))
    const [rtu, tcp, mqtt] = adapters
    expect(adapters.map((a) => a.name)).toEqual(['modbus', 'modbus', 'mqtt'])
    expect([rtu?.owns?.('ups'), rtu?.owns?.('level'), tcp?.owns?.('ups'), tcp?.owns?.('level')]).toEqual([
      true,
      false,
      false,
      true,
    ])
    expect(mqtt?.owns).toBeUndefined()
  })
})

describe('the field adapters', () => {
  /** A transport that records its adapter's life in `calls`. */
  function fake(name: string, calls: string[], on = true): Transport {
    const adapter: DeviceAdapter = {
      name,
      start: async () => void calls.push(`start ${name}`),
      stop: async () => void calls.push(`stop ${name}`),
      owns: (deviceId) => deviceId === `${name}-device`,
      write: async (deviceId) => void calls.push(`write ${deviceId}`),
    }
    return { name, configured: () => on, create: async () => adapter }
  }

  it('starts the configured transports in registry order, stops them in reverse, and routes writes to the owner', async () => {
    const calls: string[] = []
    const field = await createFieldAdapters({
      config: config([]),
      clock: systemClock,
      log,
      output,
      source,
      messages: source,
      transports: [fake('a', calls), fake('off', calls, false), fake('b', calls)],
    })
    await field.start()
    await field.writers.find((w) => w.owns('b-device'))?.write('b-device', 'on', true)
    expect(field.writers.map((w) => w.owns('off-device'))).toEqual([false, false])
    await field.stop()
    expect(calls).toEqual(['start a', 'start b', 'write b-device', 'stop b', 'stop a'])
  })

  it('builds and starts a transport on a reload that brings its first device, and hands the others the new list', async () => {
    const calls: string[] = []
    const lists: string[][] = []
    const gpio: Transport = {
      ...fake('gpio', calls),
      configured: (d) => d.config.devices.length > 0,
    }
    const mqtt: Transport = {
      name: 'mqtt',
      configured: () => true,
      create: async () => ({
        name: 'mqtt',
        start: async () => undefined,
        stop: async () => undefined,
        reload: async (devices) => void lists.push(devices.map((d) => d.id)),
      }),
    }
    const field = await createFieldAdapters({
      config: config([]),
      clock: systemClock,
      log,
      output,
      source,
      messages: source,
      transports: [gpio, mqtt],
    })
    await field.start()
    expect(calls).toEqual([])
    expect(await field.reload(config([PANIC]))).toBe(false)
    expect(calls).toEqual(['start gpio'])
    expect(lists).toEqual([['panic-1']])
    expect(await field.reload(config([PANIC, LEVEL]))).toBe(true)
    await field.stop()
    expect(calls).toEqual(['start gpio', 'stop gpio'])
  })
})
