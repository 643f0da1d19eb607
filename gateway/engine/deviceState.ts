import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import type { BatteryThresholds } from '../../rules/batteryLow.js'
import type { DeviceInfo } from '../../rules/rule.js'
import type { DeviceConfig, RuleSettings } from '../config/schema.js'
import { isoAt } from '../core/clock.js'
import type { CommStatus } from '../core/commStatus.js'
import type { DeviceDirectory, DeviceFault, DeviceStatus } from '../core/ports.js'
import type { DeviceType, Reading, ReadingValue } from '../core/reading.js'

interface Latest {
  value: ReadingValue
  ts: number
}

/**
 * The latest value of every metric of every configured device, and when each
 * device was last heard from: what rules look at and `GET /api/devices` shows.
 */
export function createDeviceState(devices: readonly DeviceConfig[], health: DeviceHealth) {
  let deviceHealth = health
  let info = new Map<string, DeviceInfo>()
  let configured = new Map<string, DeviceConfig>()
  // resolved once per config: the rule asks on every battery reading
  let battery = new Map<string, BatteryThresholds>()
  const latest = new Map<string, Map<string, Latest>>()
  const lastSeen = new Map<string, number>()
  const comm = new Map<string, CommStatus>()
  /** When a reload added a device: its silence is counted from then, not from the start. */
  const addedAt = new Map<string, number>()

  function configure(list: readonly DeviceConfig[], healthSettings: DeviceHealth): void {
    deviceHealth = healthSettings
    info = new Map(list.map((d) => [d.id, deviceInfoOf(d)]))
    configured = new Map(list.map((d) => [d.id, d]))
    battery = new Map(list.map((d) => [d.id, batteryThresholdsOf(d, healthSettings)]))
  }
  configure(devices, health)

  /**
   * A config reload's devices. A removed one is forgotten (values, last seen,
   * communication), so it is no longer listed or supervised; its open alarms
   * are the alarm service's and stay. An added one is supervised from `now`.
   */
  function reload(list: readonly DeviceConfig[], healthSettings: DeviceHealth, now: number): void {
    const before = new Set(info.keys())
    configure(list, healthSettings)
    for (const id of before) {
      if (info.has(id)) continue
      for (const map of [latest, lastSeen, comm, addedAt]) map.delete(id)
    }
    for (const id of info.keys()) if (!before.has(id)) addedAt.set(id, now)
  }

  function record(reading: Reading): void {
    let metrics = latest.get(reading.deviceId)
    if (!metrics) {
      metrics = new Map()
      latest.set(reading.deviceId, metrics)
    }
    metrics.set(reading.metric, { value: reading.value, ts: reading.ts })
    lastSeen.set(reading.deviceId, reading.ts)
  }

  function list(faultsOf: (deviceId: string) => readonly DeviceFault[]): DeviceStatus[] {
    return [...info.values()].map((d) => {
      const faults = faultsOf(d.id)
      const seen = lastSeen.get(d.id)
      const values = Object.fromEntries(
        [...(latest.get(d.id) ?? new Map<string, Latest>())].map(([m, l]) => [m, { value: l.value, at: isoAt(l.ts) }]),
      )
      return {
        id: d.id,
        type: d.type,
        zone: d.zone,
        name: configured.get(d.id)?.name ?? null,
        lastSeen: seen === undefined ? null : isoAt(seen),
        values,
        transport: d.transport,
        status: faults.length > 0 ? 'fault' : 'ok',
        faults,
      }
    })
  }

  return {
    record,
    reload,
    device: (id: string) => info.get(id),
    devices: (filter: { readonly type?: DeviceType; readonly zone?: string }) =>
      [...info.values()].filter(
        (d) =>
          (filter.type === undefined || d.type === filter.type) &&
          (filter.zone === undefined || d.zone === filter.zone),
      ),
    latest: (deviceId: string, metric: string) => latest.get(deviceId)?.get(metric),
    setComm: (deviceId: string, status: CommStatus) => comm.set(deviceId, status),
    comm: (deviceId: string) => comm.get(deviceId),
    lastSeen: (deviceId: string) => lastSeen.get(deviceId),
    /** When the device was last heard, else when a reload added it; undefined for one never heard since start. */
    heardOrAdded: (deviceId: string) => lastSeen.get(deviceId) ?? addedAt.get(deviceId),
    heartbeatSec: (deviceId: string) => {
      const device = configured.get(deviceId)
      if (device === undefined) return 60
      // a polled device is "heard" every poll; its type's default is for devices that report by themselves
      return device.heartbeatSec ?? device.modbus?.pollSec ?? DEVICE_TYPE_DEFINITIONS[device.type].heartbeatSec
    },
    batteryThresholds: (deviceId: string): BatteryThresholds =>
      battery.get(deviceId) ?? { lowPct: deviceHealth.lowBatteryPct, lowMv: undefined },
    /** `GET /api/devices`, with each device's open faults from `faultsOf`. */
    directory: (faultsOf: (deviceId: string) => readonly DeviceFault[]): DeviceDirectory => ({
      list: () => list(faultsOf),
    }),
  }
}

export type DeviceState = ReturnType<typeof createDeviceState>

type DeviceHealth = Pick<RuleSettings['deviceHealth'], 'lowBatteryPct' | 'types'>

/** The device's own setting, else the store's for its type, else the store-wide % and the type's shipped mV. */
export function batteryThresholdsOf(
  device: Pick<DeviceConfig, 'type' | 'lowBatteryPct' | 'lowBatteryMv'>,
  deviceHealth: Pick<RuleSettings['deviceHealth'], 'lowBatteryPct' | 'types'>,
): BatteryThresholds {
  const forType = deviceHealth.types[device.type]
  return {
    lowPct: device.lowBatteryPct ?? forType?.lowBatteryPct ?? deviceHealth.lowBatteryPct,
    lowMv: device.lowBatteryMv ?? forType?.lowBatteryMv ?? DEVICE_TYPE_DEFINITIONS[device.type].lowBatteryMv,
  }
}

function deviceInfoOf(d: DeviceConfig): DeviceInfo {
  const info: DeviceInfo = { id: d.id, type: d.type, zone: d.zone, name: d.name ?? d.id, transport: transportOf(d) }
  // docs/requirements.md#ticketable-facilities: the type says whether its faults get a ticket
  const ticket = DEVICE_TYPE_DEFINITIONS[d.type].ticket
  return ticket === undefined ? info : { ...info, ticket }
}

function transportOf(device: DeviceConfig): DeviceInfo['transport'] {
  return device.modbus ? 'modbus' : device.gpio ? 'gpio' : 'mqtt'
}
