import type { Clock } from '../../gateway/core/clock.js'
import { StoreGuardError } from '../../gateway/core/errors.js'
import type { Logger } from '../../gateway/core/logger.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { AdapterOutput, DeviceAdapter } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { type BusScheduler, createBusScheduler, type ReconnectBackoff } from './busScheduler.js'
import { createDevicePoller, type DevicePoller } from './devicePoller.js'
import { createModbusClient } from './modbusClient.js'
import type { ModbusBusConfig, ModbusDeviceConfig } from './modbusSchema.js'
import { loadProfiles, type Profiles, resolveRegisters } from './profiles.js'
import { registerMapProblems } from './registerMapCheck.js'

export interface ModbusAdapterOptions {
  readonly store: string
  readonly buses: readonly ModbusBusConfig[]
  /** All configured devices; those with a `modbus` section are polled. */
  readonly devices: readonly DeviceConfig[]
  readonly output: AdapterOutput
  readonly clock: Clock
  readonly log: Logger
  /** Register maps by profile name. Default: the shipped devices/profiles/*.yaml. */
  readonly profiles?: Profiles
  /** Reconnect back-off per bus. Default 1 s doubling to 30 s. */
  readonly reconnect?: ReconnectBackoff
}

type ModbusDevice = DeviceConfig & { readonly modbus: ModbusDeviceConfig }

/**
 * Modbus RTU and TCP devices (docs/requirements.md#modbus): polled on a schedule, one request at
 * a time per bus, decoded into Readings; timeouts, CRC and exception
 * responses and lost connections become device faults through
 * `output.commStatus`, never exceptions, and every bus reconnects by itself.
 *
 * Throws `config_invalid` at creation for a map it cannot poll (unknown bus
 * or profile, a metric the device type does not have); never afterwards.
 */
export function createModbusAdapter(options: ModbusAdapterOptions): DeviceAdapter {
  const { store, clock } = options
  const log = options.log.child({ mod: 'modbus' })
  const devices = options.devices.filter((d): d is ModbusDevice => d.modbus !== undefined)
  const profiles = options.profiles ?? (devices.length > 0 ? loadProfiles() : new Map())
  let stopped = false
  // after stop() nothing more is reported: a request aborted by the close is not a device fault
  const output: AdapterOutput = {
    reading(r) {
      if (!stopped) options.output.reading(r)
    },
    rejected(reason, detail) {
      if (!stopped) options.output.rejected(reason, detail)
    },
    commStatus(id, status) {
      if (!stopped) options.output.commStatus(id, status)
    },
  }

  const pollers = new Map<string, { poller: DevicePoller; scheduler: BusScheduler }>()
  const schedulers: BusScheduler[] = []
  const problems: string[] = []
  const byBus = new Map<string, DevicePoller[]>()
  for (const device of devices) {
    const registers = resolveDevice(device, profiles, options.buses, problems)
    if (registers === undefined) continue
    const poller = createDevicePoller({ store, device, modbus: device.modbus, registers, output, clock, log })
    byBus.set(device.modbus.bus, [...(byBus.get(device.modbus.bus) ?? []), poller])
  }
  if (problems.length > 0) throw new StoreGuardError('config_invalid', problems.join('\n'))

  for (const bus of options.buses) {
    const busPollers = byBus.get(bus.id)
    if (busPollers === undefined) continue // a bus no device uses stays closed
    const scheduler = createBusScheduler({
      bus,
      client: createModbusClient(bus),
      devices: busPollers,
      log,
      ...(options.reconnect ? { backoff: options.reconnect } : {}),
    })
    schedulers.push(scheduler)
    for (const poller of busPollers) pollers.set(poller.deviceId, { poller, scheduler })
  }

  return {
    name: 'modbus',
    async start() {
      stopped = false
      for (const scheduler of schedulers) scheduler.start()
    },
    async stop() {
      stopped = true
      await Promise.all(schedulers.map((s) => s.stop()))
    },
    owns: (deviceId) => pollers.has(deviceId),
    async write(deviceId: string, metric: string, value: ReadingValue) {
      const entry = pollers.get(deviceId)
      if (entry === undefined) {
        log.warn({ deviceId, metric }, 'modbus write for a device this adapter does not own')
        return
      }
      // through the bus queue like any request: a write must not collide with a poll on the line
      await entry.scheduler.submit(entry.poller.writeJob(metric, value))
    },
  }
}

/** The device's register map, or undefined after adding what is wrong to `problems`. */
function resolveDevice(
  device: ModbusDevice,
  profiles: Profiles,
  buses: readonly ModbusBusConfig[],
  problems: string[],
): ReturnType<typeof resolveRegisters> | undefined {
  if (!buses.some((b) => b.id === device.modbus.bus)) {
    problems.push(`device ${device.id}: unknown Modbus bus "${device.modbus.bus}"`)
    return undefined
  }
  try {
    const registers = resolveRegisters(device, profiles)
    const found = registerMapProblems(device, registers)
    problems.push(...found)
    return found.length === 0 ? registers : undefined
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err))
    return undefined
  }
}
