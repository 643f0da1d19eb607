import type { ReadingValue } from '../../../gateway/core/reading.js'
import type { DeviceConfig } from '../../deviceSchema.js'
import { DEVICE_TYPE_DEFINITIONS } from '../../types/registry.js'
import type { ModbusBusConfig } from '../modbusSchema.js'
import { loadProfiles, type Profiles, resolveRegisters } from '../profiles.js'
import { startModbusRtuSimulator } from './modbusRtuSimulator.js'
import { startModbusTcpSimulator } from './modbusTcpSimulator.js'
import type { SimDeviceSpec } from './registerTable.js'
import type { ModbusSimulator } from './simControls.js'

/**
 * Simulated Modbus devices for a config's buses, so the gateway shows
 * Modbus readings with no hardware (docs/requirements.md#simulation: "the demo
 * config uses them"). Each device serves its resolved register map with its
 * type's normal values (DeviceTypeDefinition.simulateNormal), refreshed every
 * `tickMs`.
 */

export interface ModbusDemoOptions {
  readonly buses: readonly ModbusBusConfig[]
  readonly devices: readonly DeviceConfig[]
  readonly profiles?: Profiles
  /**
   * For RTU buses: the other end of each bus's serial line, by bus id (e.g.
   * the second link of a socat pty pair). RTU buses without one are skipped.
   */
  readonly rtuPeers?: Readonly<Record<string, string>>
  /** How often values move, ms. Default 5000. */
  readonly tickMs?: number
}

export interface ModbusDemo {
  /** The simulator behind each bus, by bus id. */
  readonly simulators: ReadonlyMap<string, ModbusSimulator>
  /**
   * Holds a device's metric at `value` (a scenario: the basement floods),
   * instead of the normal values each tick; `undefined` lets it go back.
   * Throws for a device or metric no demo simulator serves.
   */
  hold(deviceId: string, metric: string, value: ReadingValue | undefined): void
  stop(): Promise<void>
}

interface DemoDevice {
  readonly device: DeviceConfig
  readonly sim: ModbusSimulator
  readonly spec: SimDeviceSpec
  readonly held: Map<string, ReadingValue>
}

/** Starts a TCP simulator for every loopback TCP bus, and an RTU one for every RTU bus with a peer path. */
export async function startModbusDemoSimulators(options: ModbusDemoOptions): Promise<ModbusDemo> {
  const profiles = options.profiles ?? loadProfiles()
  const simulators = new Map<string, ModbusSimulator>()
  const served = new Map<string, DemoDevice>()
  try {
    for (const bus of options.buses) {
      const onBus = options.devices.filter((d) => d.modbus?.bus === bus.id)
      if (onBus.length === 0) continue
      const specs = onBus.map((d) => ({
        unitId: d.modbus?.unitId ?? 1,
        registers: resolveRegisters(deviceWithModbus(d), profiles),
      }))
      const sim = await startFor(bus, specs, options.rtuPeers?.[bus.id])
      if (sim === undefined) continue
      simulators.set(bus.id, sim)
      onBus.forEach((device, i) => {
        const spec = specs[i]
        if (spec) served.set(device.id, { device, sim, spec, held: new Map() })
      })
    }
  } catch (err) {
    await Promise.all([...simulators.values()].map((s) => s.stop()))
    throw err
  }
  let tick = 0
  const refresh = () => {
    for (const entry of served.values()) setValues(entry, tick)
    tick++
  }
  refresh()
  const timer = setInterval(refresh, options.tickMs ?? 5000)
  timer.unref()
  return {
    simulators,
    hold(deviceId, metric, value) {
      const entry = served.get(deviceId)
      if (entry === undefined) throw new Error(`no demo Modbus simulator serves device ${deviceId}`)
      if (value === undefined) {
        entry.held.delete(metric)
        return
      }
      entry.sim.device(entry.spec.unitId).set(metric, value)
      entry.held.set(metric, value)
    },
    async stop() {
      clearInterval(timer)
      await Promise.all([...simulators.values()].map((s) => s.stop()))
    },
  }
}

async function startFor(
  bus: ModbusBusConfig,
  devices: readonly SimDeviceSpec[],
  rtuPeer: string | undefined,
): Promise<ModbusSimulator | undefined> {
  if (bus.type === 'tcp') {
    // only a simulator on this machine makes sense; a real host is a real device
    const loopback = bus.host === '127.0.0.1' || bus.host === 'localhost' || bus.host === '::1'
    return loopback ? startModbusTcpSimulator({ host: bus.host, port: bus.port, devices }) : undefined
  }
  return rtuPeer === undefined ? undefined : startModbusRtuSimulator({ path: rtuPeer, devices })
}

function deviceWithModbus(device: DeviceConfig) {
  if (device.modbus === undefined) throw new Error(`device ${device.id} has no modbus section`)
  return { id: device.id, modbus: device.modbus }
}

/** Puts the type's normal values, or held ones, into the device's registers; metrics the map lacks are left alone. */
function setValues({ device, sim, spec, held }: DemoDevice, tick: number): void {
  const values: Readonly<Record<string, ReadingValue>> = {
    ...DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(tick),
    ...Object.fromEntries(held),
  }
  for (const register of spec.registers) {
    const value = values[register.metric]
    if (value === undefined) continue
    try {
      sim.device(spec.unitId).set(register.metric, value)
    } catch {
      // a value the register cannot hold (e.g. a string): the demo just leaves it
    }
  }
}
