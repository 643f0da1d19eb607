import { type AddressInfo, createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { DeviceAdapter } from '../devices/adapter.js'
import { createModbusAdapter, type ModbusAdapterOptions } from '../devices/modbus/modbusAdapter.js'
import type { ModbusBusConfig, RegisterConfig } from '../devices/modbus/modbusSchema.js'
import { loadProfiles } from '../devices/modbus/profiles.js'
import { startModbusDemoSimulators } from '../devices/modbus/sim/demoSimulators.js'
import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import type { SimDeviceSpec } from '../devices/modbus/sim/registerTable.js'
import type { DeviceConfig } from '../gateway/config/schema.js'
import { systemClock } from '../gateway/core/clock.js'
import { createLogger } from '../gateway/log.js'
import { freePort } from './support/freePort.js'
import { modbusDevice, register, tcpBus } from './support/modbusConfig.js'
import { createRecordingOutput, eventually, type RecordingOutput } from './support/recordingOutput.js'
import { decodeVectors } from './support/registerVectors.js'

const profiles = loadProfiles()
const profile = (name: string): readonly RegisterConfig[] => profiles.get(name) ?? []
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function simulator(devices: readonly SimDeviceSpec[]): Promise<ModbusTcpSimulator> {
  const sim = await startModbusTcpSimulator({ port: await freePort(), devices })
  cleanups.push(() => sim.stop())
  return sim
}

async function adapter(
  buses: readonly ModbusBusConfig[],
  devices: readonly DeviceConfig[],
): Promise<{ adapter: DeviceAdapter; output: RecordingOutput }> {
  const output = createRecordingOutput()
  const options: ModbusAdapterOptions = {
    store: 'store-1',
    buses,
    devices,
    output,
    clock: systemClock,
    log: createLogger('silent'),
    reconnect: { initialMs: 100, maxMs: 400 },
  }
  const created = createModbusAdapter(options)
  await created.start()
  cleanups.push(() => created.stop())
  return { adapter: created, output }
}

describe('Modbus TCP devices', () => {
  it('reads a water-level transmitter and a UPS from a real Modbus TCP server', async () => {
    const sim = await simulator([
      { unitId: 1, registers: profile('water-level-4-20ma'), initial: { level_cm: 12.3 } },
      {
        unitId: 2,
        registers: profile('ups-modbus'),
        initial: { mains_ok: true, on_battery: false, battery_pct: 97, runtime_min: 42 },
      },
    ])
    const bus = tcpBus('tcp-a', sim.port)
    const { output } = await adapter(
      [bus],
      [
        modbusDevice('basement-level', 'water_level', { bus: 'tcp-a', unitId: 1, profile: 'water-level-4-20ma' }),
        modbusDevice('ups', 'power', { bus: 'tcp-a', unitId: 2, profile: 'ups-modbus' }),
      ],
    )
    await eventually(() => output.latest('ups', 'runtime_min') !== undefined, 'UPS readings')
    await eventually(() => output.latest('basement-level', 'level_cm') !== undefined, 'level reading')
    expect(output.latest('basement-level', 'level_cm')).toMatchObject({
      store: 'store-1',
      deviceType: 'water_level',
      zone: 'test',
      value: 12.3,
      quality: 'good',
    })
    const ups = ['mains_ok', 'on_battery', 'battery_pct', 'runtime_min'].map((m) => output.latest('ups', m)?.value)
    expect(ups).toEqual([true, false, 97, 42])

    sim.device(2).set('on_battery', true)
    sim.device(2).set('mains_ok', false)
    await eventually(() => output.latest('ups', 'on_battery')?.value === true, 'the UPS on battery')
    expect(output.statuses).toEqual([])
  })

  it('decodes every data type and word order from the wire', async () => {
    const vectors = decodeVectors()
    const sim = await simulator(vectors.specs)
    vectors.load(sim)
    const { output } = await adapter([tcpBus('tcp-a', sim.port)], vectors.devices('tcp-a'))
    await eventually(() => Object.values(vectors.seen(output)).every((v) => v !== undefined), 'every metric read')
    expect(vectors.seen(output)).toEqual(vectors.expected)
  })

  it('puts a device in fault when its server stops, keeps reading the other server, and recovers', async () => {
    const simA = await simulator([{ unitId: 1, registers: profile('water-level-4-20ma'), initial: { level_cm: 5 } }])
    const simB = await simulator([{ unitId: 1, registers: profile('water-level-4-20ma'), initial: { level_cm: 7 } }])
    const { output } = await adapter(
      [tcpBus('tcp-a', simA.port), tcpBus('tcp-b', simB.port)],
      [
        modbusDevice('level-a', 'water_level', { bus: 'tcp-a', profile: 'water-level-4-20ma', faultAfterFailures: 3 }),
        modbusDevice('level-b', 'water_level', { bus: 'tcp-b', profile: 'water-level-4-20ma' }),
      ],
    )
    await eventually(() => output.latest('level-a', 'level_cm') !== undefined, 'a first reading from A')

    await simA.stop()
    await eventually(() => output.statusesOf('level-a').length === 1, 'level-a in fault')
    const [fault] = output.statusesOf('level-a')
    expect(fault?.ok).toBe(false)
    expect(['connection_lost', 'connection_refused']).toContain(fault?.reason)
    expect(fault?.detail).toMatch(/^3 polls in a row failed/)

    const bReadings = () => output.readings.filter((r) => r.deviceId === 'level-b').length
    const before = bReadings()
    await eventually(() => bReadings() >= before + 3, 'level-b still being read')
    expect(output.statusesOf('level-b')).toEqual([])

    simA.device(1).set('level_cm', 55.5)
    await simA.start()
    await eventually(() => output.statusesOf('level-a').length === 2, 'level-a recovered')
    expect(output.statusesOf('level-a')[1]).toEqual({ ok: true, reason: null, detail: 'answering again' })
    await eventually(() => output.latest('level-a', 'level_cm')?.value === 55.5, 'readings from A again')
  })

  it('polls TCP hosts in parallel: a host that never answers does not hold up another host', async () => {
    // a host that accepts the connection and swallows every request: each poll of it waits out the timeout
    const requestsHeard: Buffer[] = []
    const silent = createServer((socket) => socket.on('data', (chunk) => requestsHeard.push(chunk)))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise((resolve) => silent.close(() => resolve())))
    const sim = await simulator([{ unitId: 1, registers: profile('water-level-4-20ma'), initial: { level_cm: 4 } }])
    const { output } = await adapter(
      [tcpBus('silent', (silent.address() as AddressInfo).port, { timeoutMs: 10_000 }), tcpBus('answering', sim.port)],
      [
        modbusDevice('stuck', 'water_level', { bus: 'silent', profile: 'water-level-4-20ma', faultAfterFailures: 1 }),
        modbusDevice('level', 'water_level', { bus: 'answering', profile: 'water-level-4-20ma', pollSec: 0.05 }),
      ],
    )
    await eventually(() => requestsHeard.length > 0, 'the first request to the silent host')
    const readings = () => output.readings.filter((r) => r.deviceId === 'level').length
    const before = readings()
    await eventually(() => readings() >= before + 5, 'five more readings of the answering host', 30_000)
    // those five came while the silent host's first request was still waiting for its answer
    expect(output.statusesOf('stuck')).toEqual([])
    expect(output.statusesOf('level')).toEqual([])
  }, 40_000)

  it('reports a modbus timeout when the device answers later than timeoutMs', async () => {
    const sim = await simulator([{ unitId: 1, registers: profile('water-level-4-20ma') }])
    const { output } = await adapter(
      [tcpBus('tcp-a', sim.port, { timeoutMs: 150 })],
      [modbusDevice('level', 'water_level', { bus: 'tcp-a', profile: 'water-level-4-20ma', faultAfterFailures: 2 })],
    )
    await eventually(() => output.latest('level', 'level_cm') !== undefined, 'a first reading')
    sim.setDelayMs(400)
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    expect(output.statusesOf('level')[0]).toMatchObject({ ok: false, reason: 'modbus_timeout' })
    sim.setDelayMs(0)
    await eventually(() => output.statusesOf('level').length === 2, 'the device back')
  })

  it('reports a modbus exception when the device refuses an address', async () => {
    // the simulator maps holding 0 only; the device config asks for holding 40
    const sim = await simulator([{ unitId: 1, registers: profile('water-level-4-20ma') }])
    const { output } = await adapter(
      [tcpBus('tcp-a', sim.port)],
      [
        modbusDevice('level', 'water_level', {
          bus: 'tcp-a',
          faultAfterFailures: 1,
          registers: [register('level_cm', 'holding', 40, { type: 'int16', scale: 0.1 })],
        }),
      ],
    )
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    const [fault] = output.statusesOf('level')
    expect(fault).toMatchObject({ ok: false, reason: 'modbus_exception' })
    expect(fault?.detail).toContain('Illegal data address')
  })

  it('reports connection_refused while nothing listens, and reads once the server is up', async () => {
    const port = await freePort()
    const { output } = await adapter(
      [tcpBus('tcp-a', port)],
      [modbusDevice('level', 'water_level', { bus: 'tcp-a', profile: 'water-level-4-20ma', faultAfterFailures: 1 })],
    )
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    expect(output.statusesOf('level')[0]).toMatchObject({ ok: false, reason: 'connection_refused' })
    const sim = await startModbusTcpSimulator({
      port,
      devices: [{ unitId: 1, registers: profile('water-level-4-20ma') }],
    })
    cleanups.push(() => sim.stop())
    await eventually(() => output.latest('level', 'level_cm') !== undefined, 'a reading', 15_000)
    expect(output.statusesOf('level').map((s) => s.ok)).toEqual([false, true])
  })

  it('switches a writable coil on the device', async () => {
    const registers = [register('on', 'coil', 0, { type: 'bool', writable: true })]
    const sim = await simulator([{ unitId: 3, registers }])
    const { adapter: modbus, output } = await adapter(
      [tcpBus('tcp-a', sim.port)],
      [modbusDevice('siren-relay', 'siren', { bus: 'tcp-a', unitId: 3, registers })],
    )
    expect(modbus.owns?.('siren-relay')).toBe(true)
    expect(modbus.owns?.('someone-else')).toBe(false)
    await modbus.write?.('siren-relay', 'on', true)
    expect(sim.device(3).get('on')).toBe(true)
    await eventually(() => output.latest('siren-relay', 'on')?.value === true, 'the coil read back on')
    await modbus.write?.('siren-relay', 'on', false)
    expect(sim.device(3).get('on')).toBe(false)
  })

  it('reports write_failed, without throwing, for a write the device cannot take', async () => {
    const registers = [register('on', 'coil', 0, { type: 'bool', writable: true })]
    const sim = await simulator([{ unitId: 1, registers }])
    const { adapter: modbus, output } = await adapter(
      [tcpBus('tcp-a', sim.port)],
      [modbusDevice('siren-relay', 'siren', { bus: 'tcp-a', registers })],
    )
    await modbus.write?.('siren-relay', 'on', 'loud')
    await modbus.write?.('siren-relay', 'volume', 3)
    const writeFailures = () => output.statusesOf('siren-relay').filter((s) => s.reason === 'write_failed')
    expect(writeFailures().map((s) => [s.reason, s.detail])).toEqual([
      ['write_failed', 'on: expected a boolean, got "loud"'],
      ['write_failed', 'volume: no writable register'],
    ])
    await sim.stop()
    await modbus.write?.('siren-relay', 'on', true)
    expect(writeFailures()).toHaveLength(3)
    expect(writeFailures()[2]?.detail).toMatch(/^on: connection_(lost|refused)/)
  })

  it("serves a config's loopback buses with the demo simulators, moving values each tick", async () => {
    const port = await freePort()
    const devices = [
      modbusDevice('ups', 'power', { bus: 'demo', unitId: 1, profile: 'ups-modbus' }),
      modbusDevice('level', 'water_level', { bus: 'demo', unitId: 2, profile: 'water-level-4-20ma' }),
    ]
    const demo = await startModbusDemoSimulators({ buses: [tcpBus('demo', port)], devices, tickMs: 100 })
    cleanups.push(() => demo.stop())
    const { output } = await adapter([tcpBus('demo', port)], devices)
    await eventually(() => output.latest('ups', 'battery_pct')?.value === 100, 'the UPS at 100 %')
    expect(output.latest('ups', 'mains_ok')?.value).toBe(true)
    const levels = () => new Set(output.readings.filter((r) => r.metric === 'level_cm').map((r) => r.value))
    await eventually(() => levels().size >= 2, 'the level moving')
    demo.hold('level', 'level_cm', 80)
    await eventually(() => output.latest('level', 'level_cm')?.value === 80, 'a flood held by a scenario')
    // two more polls after that, however long they take to come: the scenario still holds the level
    const levelReadings = () => output.readings.filter((r) => r.metric === 'level_cm')
    const polled = levelReadings().length
    await eventually(() => levelReadings().length >= polled + 2, 'two more polls')
    expect(
      new Set(
        levelReadings()
          .slice(polled)
          .map((r) => r.value),
      ),
    ).toEqual(new Set([80]))
    expect(demo.simulators.get('demo')).toBeDefined()
  })

  it('refuses a register map it cannot poll when it is created', () => {
    const make = (device: DeviceConfig) => () =>
      createModbusAdapter({
        store: 's',
        buses: [tcpBus('tcp-a', 1502)],
        devices: [device],
        output: createRecordingOutput(),
        clock: systemClock,
        log: createLogger('silent'),
      })
    expect(make(modbusDevice('x', 'water_level', { bus: 'tcp-a', profile: 'nope' }))).toThrow(
      /device x: unknown Modbus profile "nope"/,
    )
    expect(make(modbusDevice('x', 'water_level', { bus: 'tcp-z', profile: 'water-level-4-20ma' }))).toThrow(
      /unknown Modbus bus/,
    )
    expect(
      make(modbusDevice('x', 'water_level', { bus: 'tcp-a', registers: [register('depth', 'holding', 0)] })),
    ).toThrow(/not a metric of a water_level/)
  })
})
