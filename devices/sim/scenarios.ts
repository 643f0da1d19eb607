import { DEVICE_TYPES, type DeviceType, type ReadingValue } from '../../gateway/core/reading.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { DEVICE_TYPE_DEFINITIONS } from '../types/registry.js'

/** Named situations a person can trigger with `storeguard simulate <scenario> <device>`. */
interface Scenario {
  readonly description: string
  readonly types: readonly DeviceType[]
  readonly metrics: (device: DeviceConfig) => Readonly<Record<string, ReadingValue>>
}

const scenario = (
  description: string,
  types: readonly DeviceType[],
  metrics: Readonly<Record<string, ReadingValue>>,
): Scenario => ({ description, types, metrics: () => metrics })

const ZIGBEE_TYPES: readonly DeviceType[] = ['smoke', 'heat', 'leak', 'panic_button', 'temperature', 'door']

export const SCENARIOS = {
  fire: scenario('a smoke detector sees smoke', ['smoke'], { smoke: true }),
  heat: scenario('a heat detector reads 68 °C', ['heat'], { temperature: 68 }),
  leak: scenario('a leak contact gets wet', ['leak'], { water_leak: true }),
  flood: scenario('water stands 6 cm deep', ['water_level'], { level_cm: 6 }),
  panic: scenario('a member of staff presses the panic button', ['panic_button'], { pressed: true }),
  'cut-loop': scenario('the panic wiring loop is cut', ['panic_button'], { loop_ok: false }),
  'terminal-fault': scenario('the terminal printer and card reader fail', ['terminal'], {
    status: 'fault',
    fault_codes: 'printer,card_reader',
  }),
  'paper-low': scenario('the terminal runs low on paper', ['terminal'], {
    status: 'degraded',
    fault_codes: 'paper_low',
    paper_low: true,
  }),
  'power-cut': scenario('mains power is lost, the UPS takes over', ['power'], {
    mains_ok: false,
    on_battery: true,
    battery_pct: 92,
    runtime_min: 35,
  }),
  'system-down': scenario('the business system stops answering', ['business_system'], { up: false }),
  tamper: scenario('someone opens the device', ZIGBEE_TYPES, { tamper: true }),
  normal: {
    description: 'the device reports that all is well again',
    types: DEVICE_TYPES,
    metrics: (device) => DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(0),
  },
} as const satisfies Record<string, Scenario>

export type ScenarioName = keyof typeof SCENARIOS

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name)
}
