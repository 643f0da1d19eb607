import { afterEach, describe, expect, it } from 'vitest'
import { createModbusAdapter } from '../devices/modbus/modbusAdapter.js'
import type { ModbusBusConfig, RegisterConfig } from '../devices/modbus/modbusSchema.js'
import { loadProfiles } from '../devices/modbus/profiles.js'
import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import type { DeviceConfig } from '../gateway/config/schema.js'
import { systemClock } from '../gateway/core/clock.js'
import { createLogger } from '../gateway/log.js'
import { freePort } from './support/freePort.js'
import { modbusDevice, tcpBus } from './support/modbusConfig.js'
import { createRecordingOutput, eventually } from './support/recordingOutput.js'

const LEVEL: readonly RegisterConfig[] = loadProfiles().get('water-level-4-20ma') ?? []
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A Modbus TCP server with a water-level transmitter on each of `units`. */
async function server(units: readonly number[], levelCm = 1): Promise<ModbusTcpSimulator> {
  const devices = units.map((unitId) => ({ unitId, registers: LEVEL, initial: { level_cm: levelCm * unitId } }))
  const sim = await startModbusTcpSimulator({ port: await freePort(), devices })
  cleanups.push(() => sim.stop())
  return sim
}

const level = (id: string, bus: string, unitId: number, pollSec = 0.1) =>
  modbusDevice(id, 'water_level', { bus, unitId, profile: 'water-level-4-20ma', pollSec })

/** A started adapter, and the log lines of its buses' connects, by bus id. */
function start(buses: readonly ModbusBusConfig[], devices: readonly DeviceConfig[]) {
  const output = createRecordingOutput()
  const connects: string[] = []
  const log = createLogger('info', {
    write: (line: string) => {
      const parsed = JSON.parse(line) as { msg?: string; bus?: string }
      if (parsed.msg === 'modbus connected' && parsed.bus) connects.push(parsed.bus)
    },
  })
  const adapter = createModbusAdapter({ store: 's', buses, devices, output, clock: systemClock, log })
  cleanups.push(() => adapter.stop())
  return { adapter, output, connects, readingsOf: (id: string) => output.readings.filter((r) => r.deviceId === id) }
}

describe('the Modbus adapter on a reload', () => {
  it('restarts only the bus whose devices changed: an added one is polled, a removed one no more, a kept one not faulted', async () => {
    const a = await server([1, 2])
    const b = await server([1])
    const buses = [tcpBus('a', a.port), tcpBus('b', b.port)]
    const { adapter, output, connects, readingsOf } = start(buses, [level('a1', 'a', 1), level('b1', 'b', 1)])
    await adapter.start()
    await eventually(() => readingsOf('a1').length > 0 && readingsOf('b1').length > 0, 'both buses read')
    await adapter.reload?.([level('a2', 'a', 2), level('b1', 'b', 1)])
    const a1Polls = readingsOf('a1').length
    const b1Polls = readingsOf('b1').length
    await eventually(() => readingsOf('a2').length > 0, 'the added device read')
    await eventually(() => readingsOf('b1').length > b1Polls + 2, 'the kept device read on')
    expect(readingsOf('a1').length).toBe(a1Polls)
    // bus a closed and opened again, bus b never
    expect(connects.toSorted()).toEqual(['a', 'a', 'b'])
    expect(output.statuses).toEqual([])
  })

  it('a device moved to another bus is polled there only', async () => {
    const a = await server([1], 1)
    const b = await server([1], 7)
    const buses = [tcpBus('a', a.port), tcpBus('b', b.port)]
    const { adapter, readingsOf } = start(buses, [level('a1', 'a', 1)])
    await adapter.start()
    await eventually(() => readingsOf('a1').length > 0, 'read on bus a')
    await adapter.reload?.([level('a1', 'b', 1)])
    const moved = readingsOf('a1').length
    await eventually(() => readingsOf('a1').length > moved + 5, 'read on')
    expect(
      readingsOf('a1')
        .slice(moved)
        .map((r) => r.value),
    ).toEqual(Array(readingsOf('a1').length - moved).fill(7))
  })

  it('a changed device in fault keeps its fault through the reload, and its first good poll clears it', async () => {
    const a = await server([1])
    const { adapter, output } = start([tcpBus('a', a.port)], [level('a1', 'a', 1)])
    a.setOnline(1, false)
    await adapter.start()
    await eventually(() => output.statusesOf('a1').length === 1, 'the fault')
    await adapter.reload?.([level('a1', 'a', 1, 0.15)])
    a.setOnline(1, true)
    await eventually(() => output.statusesOf('a1').length === 2, 'the recovery')
    expect(output.statusesOf('a1').map((s) => s.ok)).toEqual([false, true])
  })

  it('a reload that brings a map it cannot poll throws before it stops anything', async () => {
    const a = await server([1])
    const { adapter, readingsOf } = start([tcpBus('a', a.port)], [level('a1', 'a', 1)])
    await adapter.start()
    const bad = modbusDevice('x', 'water_level', { bus: 'a', unitId: 2, profile: 'no-such-profile' })
    await expect(adapter.reload?.([level('a1', 'a', 1), bad])).rejects.toThrow(/no-such-profile/)
    const polls = readingsOf('a1').length
    await eventually(() => readingsOf('a1').length > polls, 'the running device read on')
  })
})
