import { isDeepStrictEqual } from 'node:util'
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

/** A polled device: its entry as configured, its poller (which keeps its health) and its bus's scheduler. */
interface Polled {
  readonly device: ModbusDevice
  readonly poller: DevicePoller
  readonly scheduler: BusScheduler
}

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
  let profiles = options.profiles ?? (devices.length > 0 ? loadProfiles() : new Map())
  let stopped = false
  /** Devices a reload took out: the poll their bus finishes before it restarts is not reported. */
  const retired = new Set<string>()
  // after stop() nothing more is reported: a request aborted by the close is not a device fault
  const output: AdapterOutput = {
    reading(r) {
      if (!stopped && !retired.has(r.deviceId)) options.output.reading(r)
    },
    rejected(reason, detail) {
      if (!stopped) options.output.rejected(reason, detail)
    },
    commStatus(id, status) {
      if (!stopped && !retired.has(id)) options.output.commStatus(id, status)
    },
  }

  const pollers = new Map<string, Polled>()
  const schedulers = new Map<string, BusScheduler>()
  let running = false

  /** A poller for each of `list`; throws `config_invalid` for a map it cannot poll, before anything runs. */
  function createPollers(list: readonly ModbusDevice[], inFault = (_id: string) => false): Map<string, DevicePoller> {
    const problems: string[] = []
    const created = new Map<string, DevicePoller>()
    for (const device of list) {
      const registers = resolveDevice(device, profiles, options.buses, problems)
      if (registers === undefined) continue
      const startInFault = inFault(device.id)
      const poller = createDevicePoller({
        store,
        device,
        modbus: device.modbus,
        registers,
        output,
        clock,
        log,
        startInFault,
      })
      created.set(device.id, poller)
    }
    if (problems.length > 0) throw new StoreGuardError('config_invalid', problems.join('\n'))
    return created
  }

  /** The bus's scheduler over `list`, not started; none for a bus no device uses, which stays closed. */
  function openBus(bus: ModbusBusConfig, list: readonly { device: ModbusDevice; poller: DevicePoller }[]) {
    if (list.length === 0) return undefined
    const scheduler = createBusScheduler({
      bus,
      client: createModbusClient(bus),
      devices: list.map((e) => e.poller),
      log,
      ...(options.reconnect ? { backoff: options.reconnect } : {}),
    })
    schedulers.set(bus.id, scheduler)
    for (const { device, poller } of list) pollers.set(device.id, { device, poller, scheduler })
    return scheduler
  }

  const created = createPollers(devices)
  for (const bus of options.buses) {
    openBus(
      bus,
      devices.flatMap((device) => {
        const poller = created.get(device.id)
        return poller !== undefined && device.modbus.bus === bus.id ? [{ device, poller }] : []
      }),
    )
  }

  return {
    name: 'modbus',
    async start() {
      stopped = false
      running = true
      for (const scheduler of schedulers.values()) scheduler.start()
    },
    async stop() {
      stopped = true
      running = false
      await Promise.all([...schedulers.values()].map((s) => s.stop()))
    },
    /**
     * docs/reload.md: only the buses whose devices were added, removed or changed
     * restart. Each closes its line before it opens again (an RS-485 port opens
     * once) after the poll under way, and a device kept keeps its poller, so its
     * fault or health carries over: no false fault, no lost recovery.
     */
    async reload(all) {
      const next = all.filter(
        (d): d is ModbusDevice => d.modbus !== undefined && options.buses.some((b) => b.id === d.modbus?.bus),
      )
      const kept = (d: ModbusDevice) => isDeepStrictEqual(pollers.get(d.id)?.device, d)
      const fresh = next.filter((d) => !kept(d))
      if (profiles.size === 0 && fresh.length > 0 && options.profiles === undefined) profiles = loadProfiles()
      // a changed device's fault carries over: the engine still holds it, and only a good poll may clear it
      const built = createPollers(fresh, (id) => pollers.get(id)?.poller.inFault === true)
      const nextById = new Map(next.map((d) => [d.id, d]))
      const before = new Map(pollers)
      // removed or changed: a device moved to another bus leaves the old one too
      const gone = [...before.values()].filter((e) => !isDeepStrictEqual(nextById.get(e.device.id), e.device))
      const touched = new Set([...fresh, ...gone.map((e) => e.device)].map((d) => d.modbus.bus))
      for (const e of gone) retired.add(e.device.id)
      for (const bus of options.buses.filter((b) => touched.has(b.id))) {
        await schedulers.get(bus.id)?.stop({ finishTurn: true })
        schedulers.delete(bus.id)
        for (const [id, e] of before) if (e.device.modbus.bus === bus.id) pollers.delete(id)
        const list = next
          .filter((d) => d.modbus.bus === bus.id)
          .flatMap((device) => {
            const poller = built.get(device.id) ?? before.get(device.id)?.poller
            return poller === undefined ? [] : [{ device, poller }]
          })
        const scheduler = openBus(bus, list)
        if (running) scheduler?.start()
      }
      retired.clear()
      if (touched.size > 0) log.info({ buses: [...touched], devices: next.length }, 'modbus devices reloaded')
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
