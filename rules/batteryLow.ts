import { Type as T, type TOptional } from '@sinclair/typebox'
import { DEVICE_TYPES, type DeviceType, type ReadingValue } from '../gateway/core/reading.js'
import { lowBatteryMv, lowBatteryPct } from '../gateway/core/schemaHelpers.js'

/** The thresholds one device's battery is judged against, resolved from its config and type. */
export interface BatteryThresholds {
  /** A charge under this (%) is low. */
  readonly lowPct: number
  /** A voltage under this (mV) is low; undefined: the device's `voltage` is not a battery to judge. */
  readonly lowMv: number | undefined
}

const BatteryOverride = T.Object(
  {
    lowBatteryPct: T.Optional(lowBatteryPct('battery charge below this (%) is a fault')),
    lowBatteryMv: T.Optional(lowBatteryMv('battery voltage below this (mV) is a fault; 0 never judges the voltage')),
  },
  { additionalProperties: false },
)

/** Battery thresholds a store sets per device type, over its store-wide one and the type's shipped voltage. */
export const batteryOverridePerType = Object.fromEntries(DEVICE_TYPES.map((t) => [t, T.Optional(BatteryOverride)])) as {
  [K in DeviceType]: TOptional<typeof BatteryOverride>
}

/**
 * The ways devices tell their battery's health, by metric name
 * (zigbee2mqtt naming): a charge, a flag, a Tuya-style state, a voltage.
 * Each says "low" or not on its own; a new form is one line here.
 */
const SAYS_LOW = {
  battery: (value: ReadingValue, t: BatteryThresholds) => typeof value === 'number' && value < t.lowPct,
  battery_low: (value: ReadingValue) => value === true,
  battery_state: (value: ReadingValue) => typeof value === 'string' && value.trim().toLowerCase() === 'low',
  voltage: (value: ReadingValue, t: BatteryThresholds) =>
    typeof value === 'number' && t.lowMv !== undefined && value < t.lowMv,
} as const satisfies Record<string, (value: ReadingValue, t: BatteryThresholds) => boolean>

export type BatteryForm = keyof typeof SAYS_LOW

/** Every metric that says something about a battery. */
export const BATTERY_FORMS = Object.keys(SAYS_LOW) as readonly BatteryForm[]

export const isBatteryForm = (metric: string): metric is BatteryForm => Object.hasOwn(SAYS_LOW, metric)

/** Which form said the battery is low, and what it said. */
export interface LowBattery {
  readonly form: BatteryForm
  readonly value: ReadingValue
}

/**
 * Is this battery low? Yes as soon as any form the device last reported
 * says so: a device that sends several forms is trusted on the most
 * alarming one, so a flag is never outvoted by an optimistic charge.
 * Returns the first such form (in `BATTERY_FORMS` order), undefined when none.
 */
export function lowBattery(
  latest: (form: BatteryForm) => ReadingValue | undefined,
  thresholds: BatteryThresholds,
): LowBattery | undefined {
  for (const form of BATTERY_FORMS) {
    const value = latest(form)
    if (value !== undefined && SAYS_LOW[form](value, thresholds)) return { form, value }
  }
  return undefined
}
