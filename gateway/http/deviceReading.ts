import { DEVICE_TYPE_DEFINITIONS } from '../../devices/types/registry.js'
import type { DeviceStatus } from '../core/ports.js'
import type { ConsoleDevice, DeviceReading } from './consoleSnapshot.js'

/**
 * The reading a device's console line shows: of the metrics its type declares, the first one
 * it has reported, so a heat detector shows its temperature rather than its battery (the type
 * lists its main measurement first and the housekeeping metrics last). Null before any reading.
 */
export function deviceReading(device: Pick<DeviceStatus, 'type' | 'values'>): DeviceReading | null {
  const metrics = DEVICE_TYPE_DEFINITIONS[device.type]?.metrics ?? {}
  for (const [metric, definition] of Object.entries(metrics)) {
    const reported = device.values[metric]
    if (reported === undefined) continue
    return { metric, value: reported.value, at: reported.at, ...(definition.unit ? { unit: definition.unit } : {}) }
  }
  return null
}

export function withReadings(devices: readonly DeviceStatus[]): ConsoleDevice[] {
  return devices.map((device) => ({ ...device, reading: deviceReading(device) }))
}
