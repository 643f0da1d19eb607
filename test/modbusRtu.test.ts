import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeviceAdapter } from '../devices/adapter.js'
import { createModbusAdapter } from '../devices/modbus/modbusAdapter.js'
import { createModbusClient } from '../devices/modbus/modbusClient.js'
import type { ModbusBusConfig, RegisterConfig } from '../devices/modbus/modbusSchema.js'
import { loadProfiles } from '../devices/modbus/profiles.js'
import { type ModbusRtuSimulator, startModbusRtuSimulator } from '../devices/modbus/sim/modbusRtuSimulator.js'
import type { SimDeviceSpec } from '../devices/modbus/sim/registerTable.js'
import type { DeviceConfig } from '../gateway/config/schema.js'
import { systemClock } from '../gateway/core/clock.js'
import { createLogger } from '../gateway/log.js'
import { modbusDevice, register, rtuBus } from './support/modbusConfig.js'
import { createRecordingOutput, eventually, type RecordingOutput } from './support/recordingOutput.js'
import { decodeVectors } from './support/registerVectors.js'
import { type PtyPair, startPtyPair } from './support/socatPty.js'
import { tempDir } from './support/tempDir.js'

const profiles = loadProfiles()
const profile = (name: string): readonly RegisterConfig[] => profiles.get(name) ?? []

let dir: ReturnType<typeof tempDir>
let pty: PtyPair
const cleanups: (() => Promise<void>)[] = []

beforeEach(async () => {
  dir = tempDir('storeguard-modbus-rtu-')
  pty = await startPtyPair(dir.path)
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await pty.stop()
  dir.remove()
})

/** The simulated slaves on the pty's B end; the adapter's bus is the A end. */
async function slaves(devices: readonly SimDeviceSpec[]): Promise<ModbusRtuSimulator> {
  const sim = await startModbusRtuSimulator({ path: pty.b, devices })
  cleanups.push(() => sim.stop())
  return sim
}

async function adapter(
  devices: readonly DeviceConfig[],
  bus: ModbusBusConfig = rtuBus('rs485', pty.a),
): Promise<{ adapter: DeviceAdapter; output: RecordingOutput }> {
  const output = createRecordingOutput()
  const created = createModbusAdapter({
    store: 'store-1',
    buses: [bus],
    devices,
    output,
    clock: systemClock,
    log: createLogger('silent'),
    reconnect: { initialMs: 100, maxMs: 400 },
  })
  await created.start()
  cleanups.push(() => created.stop())
  return { adapter: created, output }
}

const ups = (unitId: number): SimDeviceSpec => ({
  unitId,
  registers: profile('ups-modbus'),
  initial: { mains_ok: true, on_battery: false, battery_pct: 88, runtime_min: 17 },
})
const level = (unitId: number, cm = 3.4): SimDeviceSpec => ({
  unitId,
  registers: profile('water-level-4-20ma'),
  initial: { level_cm: cm },
})

describe('Modbus RTU devices over a serial line (socat pty pair)', () => {
  it('reads a UPS and a water-level transmitter sharing one RTU bus', async () => {
    await slaves([ups(1), level(2)])
    const { output } = await adapter([
      modbusDevice('ups', 'power', { bus: 'rs485', unitId: 1, profile: 'ups-modbus' }),
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 2, profile: 'water-level-4-20ma' }),
    ])
    await eventually(
      () => output.latest('ups', 'runtime_min') !== undefined && output.latest('level', 'level_cm') !== undefined,
      'readings from both slaves',
    )
    const values = ['mains_ok', 'on_battery', 'battery_pct', 'runtime_min'].map((m) => output.latest('ups', m)?.value)
    expect(values).toEqual([true, false, 88, 17])
    expect(output.latest('level', 'level_cm')?.value).toBe(3.4)
    expect(output.statuses).toEqual([])
  })

  it('decodes every data type and word order, and booleans from coils, discrete inputs and registers, off the serial line', async () => {
    const vectors = decodeVectors()
    const sim = await slaves(vectors.specs)
    vectors.load(sim)
    const { output } = await adapter(vectors.devices('rs485'))
    await eventually(() => Object.values(vectors.seen(output)).every((v) => v !== undefined), 'every metric read')
    expect(vectors.seen(output)).toEqual(vectors.expected)
    // every function code crossed the line
    expect(new Set(sim.requests.map((r) => r.functionCode))).toEqual(new Set([1, 2, 3, 4]))
  })

  it('reads contiguous registers in one request per function, reading through a small gap', async () => {
    const probe = [
      register('level_cm', 'holding', 0, { type: 'int16', scale: 0.1 }),
      register('temperature', 'holding', 4, { type: 'int16', scale: 0.1 }),
    ]
    const sim = await slaves([ups(1), { unitId: 2, registers: probe, initial: { level_cm: 12.5, temperature: 18.5 } }])
    // one poll each in this test's lifetime
    const { output } = await adapter([
      modbusDevice('ups', 'power', { bus: 'rs485', unitId: 1, profile: 'ups-modbus', pollSec: 3600 }),
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 2, registers: probe, pollSec: 3600 }),
    ])
    await eventually(
      () => output.latest('ups', 'runtime_min') !== undefined && output.latest('level', 'temperature') !== undefined,
      'one poll of each device',
    )
    const heard = (unitId: number) =>
      sim.requests.filter((r) => r.unitId === unitId).map((r) => [r.functionCode, r.address, r.quantity])
    // the UPS map: discrete 0-1 in one FC2, holding 0-1 in one FC3
    expect(heard(1)).toEqual([
      [2, 0, 2],
      [3, 0, 2],
    ])
    // holding 0 and 4: one FC3 over the three unmapped registers between them
    expect(heard(2)).toEqual([[3, 0, 5]])
    expect([output.latest('level', 'level_cm')?.value, output.latest('level', 'temperature')?.value]).toEqual([
      12.5, 18.5,
    ])
  })

  it('falls back to reading only mapped registers when a device refuses a read through a gap, without a fault', async () => {
    const probe = [
      register('level_cm', 'holding', 0, { type: 'int16', scale: 0.1 }),
      register('temperature', 'holding', 4, { type: 'int16', scale: 0.1 }),
    ]
    const sim = await slaves([
      { unitId: 1, registers: probe, refusesUnmapped: true, initial: { level_cm: 12.5, temperature: 18.5 } },
    ])
    const { output } = await adapter([
      modbusDevice('level', 'water_level', { bus: 'rs485', registers: probe, faultAfterFailures: 2 }),
    ])
    await eventually(() => sim.requests.length >= 5, 'two polls after the refused one')
    expect(sim.requests.slice(0, 5).map((r) => [r.address, r.quantity])).toEqual([
      [0, 5], // refused: "illegal data address"
      [0, 1],
      [4, 1],
      [0, 1],
      [4, 1],
    ])
    await eventually(() => output.latest('level', 'temperature') !== undefined, 'the temperature read')
    expect([output.latest('level', 'level_cm')?.value, output.latest('level', 'temperature')?.value]).toEqual([
      12.5, 18.5,
    ])
    expect(output.statuses).toEqual([])
  })

  it('never has two requests in flight at once on one RTU bus, while two devices poll fast', async () => {
    const sim = await slaves([ups(1), level(2)])
    const { output } = await adapter([
      modbusDevice('ups', 'power', { bus: 'rs485', unitId: 1, profile: 'ups-modbus', pollSec: 0.01 }),
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 2, profile: 'water-level-4-20ma', pollSec: 0.01 }),
    ])
    // slow answers widen the window in which an overlapping request would show
    sim.setDelayMs(5)
    await eventually(() => sim.requests.length >= 60, '60 requests on the line', 10_000)
    const requests = sim.requests.slice(0, 60)
    const overlaps = requests.slice(1).filter((r, i) => {
      const previous = requests[i]
      return previous?.answeredAt === undefined || r.receivedAt < previous.answeredAt
    })
    expect(overlaps).toEqual([])
    // fair: both devices got the line
    const byUnit = (unit: number) => requests.filter((r) => r.unitId === unit).length
    expect(byUnit(1)).toBeGreaterThan(15)
    expect(byUnit(2)).toBeGreaterThan(10)
    expect(output.statuses).toEqual([])
  })

  it('would catch overlapping requests: the simulator logs two requests sent without waiting', async () => {
    // the instrument behind the test above, checked against a client used without the bus scheduler
    const sim = await slaves([ups(1), level(2)])
    sim.setDelayMs(20)
    const client = createModbusClient(rtuBus('rs485', pty.a))
    cleanups.push(() => client.close())
    expect((await client.connect()).ok).toBe(true)
    await Promise.all([client.readWords('holding', 1, 0, 2), client.readWords('holding', 2, 0, 1)])
    await eventually(() => sim.requests.length === 2, 'both requests heard')
    const [first, second] = sim.requests
    expect(second?.receivedAt).toBeLessThan(first?.answeredAt ?? 0)
  })

  it('puts a silent slave in fault while its neighbour on the same bus keeps reading', async () => {
    const sim = await slaves([ups(1), level(2)])
    const { output } = await adapter([
      modbusDevice('ups', 'power', { bus: 'rs485', unitId: 1, profile: 'ups-modbus', faultAfterFailures: 2 }),
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 2, profile: 'water-level-4-20ma' }),
    ])
    await eventually(() => output.latest('ups', 'battery_pct') !== undefined, 'a first UPS reading')
    sim.setOnline(1, false)
    await eventually(() => output.statusesOf('ups').length === 1, 'the UPS in fault')
    expect(output.statusesOf('ups')[0]).toMatchObject({ ok: false, reason: 'modbus_timeout' })

    sim.device(2).set('level_cm', 21.7)
    await eventually(() => output.latest('level', 'level_cm')?.value === 21.7, 'the level still read')
    expect(output.statusesOf('level')).toEqual([])

    sim.setOnline(1, true)
    await eventually(() => output.statusesOf('ups').length === 2, 'the UPS back')
    expect(output.statusesOf('ups')[1]?.ok).toBe(true)
  })

  it('puts a slave that answers later than timeoutMs in fault, rather than taking its late answer for the next one', async () => {
    // RTU has no transaction ids: a late answer that lands while the next request waits would pass for its answer
    const sim = await slaves([level(1)])
    const { output } = await adapter([
      modbusDevice('level', 'water_level', { bus: 'rs485', profile: 'water-level-4-20ma', faultAfterFailures: 2 }),
    ])
    await eventually(() => output.latest('level', 'level_cm') !== undefined, 'a first reading')
    sim.setDelayMs(300)
    await eventually(() => output.statusesOf('level').length >= 1, 'the device in fault')
    expect(output.statusesOf('level')).toEqual([expect.objectContaining({ ok: false, reason: 'modbus_timeout' })])

    // answering in time again: out of fault, and the readings are the slave's current ones
    sim.device(1).set('level_cm', 9.9)
    sim.setDelayMs(0)
    await eventually(() => output.statusesOf('level').length === 2, 'the device back')
    expect(output.statusesOf('level')[1]).toEqual({ ok: true, reason: null, detail: 'answering again' })
    await eventually(() => output.latest('level', 'level_cm')?.value === 9.9, 'readings again')
  })

  it('faults every device when the serial adapter is pulled out, and reads again by itself once it is back', async () => {
    await slaves([ups(1), level(2, 5.5)])
    const { output } = await adapter([
      modbusDevice('ups', 'power', { bus: 'rs485', unitId: 1, profile: 'ups-modbus', faultAfterFailures: 2 }),
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 2, profile: 'water-level-4-20ma' }),
    ])
    await eventually(() => output.latest('level', 'level_cm')?.value === 5.5, 'a first reading')

    // a USB-RS485 adapter unplugged: the tty goes away under the open port (socat ends, the pty links vanish)
    await pty.stop()
    await eventually(
      () => output.statusesOf('ups').length === 1 && output.statusesOf('level').length === 1,
      'both in fault',
    )
    for (const id of ['ups', 'level']) {
      const [fault] = output.statusesOf(id)
      expect(fault?.ok).toBe(false)
      expect(['connection_lost', 'connection_refused']).toContain(fault?.reason)
      expect(fault?.detail).toMatch(/^\d+ polls? (in a row )?failed: ./)
    }

    // plugged back in: the same path, a new tty, and the slaves answering on it
    pty = await startPtyPair(dir.path)
    await slaves([ups(1), level(2, 61.2)])
    await eventually(
      () => output.statusesOf('ups').length === 2 && output.statusesOf('level').length === 2,
      'both back',
      10_000,
    )
    expect([output.statusesOf('ups')[1]?.ok, output.statusesOf('level')[1]?.ok]).toEqual([true, true])
    await eventually(() => output.latest('level', 'level_cm')?.value === 61.2, 'readings from the new line')
  })

  it('reports a CRC fault when answers arrive corrupted', async () => {
    const sim = await slaves([level(1)])
    const { output } = await adapter([
      modbusDevice('level', 'water_level', { bus: 'rs485', profile: 'water-level-4-20ma', faultAfterFailures: 2 }),
    ])
    await eventually(() => output.latest('level', 'level_cm') !== undefined, 'a first reading')
    sim.setCorruptCrc(true)
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    expect(output.statusesOf('level')[0]).toMatchObject({ ok: false, reason: 'modbus_crc' })
  })

  it('reports an exception response from an RTU slave', async () => {
    await slaves([level(1)])
    const { output } = await adapter([
      modbusDevice('level', 'water_level', {
        bus: 'rs485',
        faultAfterFailures: 1,
        registers: [register('level_cm', 'input', 0, { type: 'int16' })],
      }),
    ])
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    expect(output.statusesOf('level')[0]).toMatchObject({ ok: false, reason: 'modbus_exception' })
  })

  it('switches a relay coil over RTU between polls of another device', async () => {
    const relay = [register('on', 'coil', 4, { type: 'bool', writable: true })]
    const sim = await slaves([level(1), { unitId: 9, registers: relay }])
    const { adapter: modbus, output } = await adapter([
      modbusDevice('level', 'water_level', { bus: 'rs485', unitId: 1, profile: 'water-level-4-20ma', pollSec: 0.02 }),
      modbusDevice('siren', 'siren', { bus: 'rs485', unitId: 9, registers: relay }),
    ])
    await eventually(() => output.latest('level', 'level_cm') !== undefined, 'a first reading')
    await modbus.write?.('siren', 'on', true)
    expect(sim.device(9).get('on')).toBe(true)
    expect(output.statuses).toEqual([])
  })

  it('reports connection_refused for a serial port that does not exist', async () => {
    const { output } = await adapter(
      [modbusDevice('level', 'water_level', { bus: 'rs485', profile: 'water-level-4-20ma', faultAfterFailures: 1 })],
      rtuBus('rs485', `${dir.path}/no-such-tty`),
    )
    await eventually(() => output.statusesOf('level').length === 1, 'the device in fault')
    expect(output.statusesOf('level')[0]).toMatchObject({ ok: false, reason: 'connection_refused' })
  })
})
