import type { DeviceType } from '../../gateway/core/reading.js'
import { DEVICE_TYPE_DEFINITIONS } from './registry.js'

/**
 * Why `value` cannot be a reading of `metric` on a device of `type`, or null
 * when it can. Asked for every number from every transport (MQTT, Modbus,
 * GPIO), so a register that decodes to Infinity is caught as surely as a
 * `1e999` in JSON. A metric the type does not define has no bounds here: the
 * adapters decide about unknown metrics.
 */
export function outOfRange(type: DeviceType, metric: string, value: number): string | null {
  if (!Number.isFinite(value)) return `${metric} is not finite`
  const definitions = DEVICE_TYPE_DEFINITIONS[type].metrics
  const range = Object.hasOwn(definitions, metric) ? definitions[metric]?.range : undefined
  if (range === undefined) return null
  if (range.min !== undefined && value < range.min) return `${metric} ${value} is below ${range.min}`
  if (range.max !== undefined && value > range.max) return `${metric} ${value} is above ${range.max}`
  return null
}
