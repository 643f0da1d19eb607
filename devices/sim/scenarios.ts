import type { DeviceConfig } from '../../gateway/config/schema.js'
import { DEVICE_TYPES, type DeviceType, type ReadingValue } from '../../gateway/core/reading.js'
import { DEVICE_TYPE_DEFINITIONS } from '../types/registry.js'

/** Named situations a person can trigger with `storeguard simulate <scenario> <device>`. */
interface Scenario {
  readonly description: string
  readonly types: readonly DeviceType[]
  readonly metrics: (device: DeviceConfig) => Readonly<Record<string, ReadingValue>>
}

export const SCENARIOS = {
  fire: {
    description: 'a smoke detector sees smoke',
    types: ['smoke'],
    metrics: () => ({ smoke: true }),
  },
  normal: {
    description: 'the device reports that all is well (e.g. smoke gone)',
    types: DEVICE_TYPES,
    metrics: (device) => DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(0),
  },
} as const satisfies Record<string, Scenario>

export type ScenarioName = keyof typeof SCENARIOS

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name)
}
