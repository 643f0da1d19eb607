import { type Static, Type as T, type TOptional } from '@sinclair/typebox'
import { DEVICE_TYPES, type DeviceType } from '../gateway/core/reading.js'

/** Per-store rule settings (docs/requirements.md#rules-and-alarms: every number is configurable per store); gateway/config/schema.ts composes them into the config file. */

const enabled = T.Boolean({ default: true })

/** Battery thresholds, set store-wide, per device type or per device. */
export const lowBatteryPct = (description: string) => T.Number({ minimum: 0, maximum: 100, description })
export const lowBatteryMv = (description: string) => T.Number({ minimum: 0, description })

const BatteryOverride = T.Object(
  {
    lowBatteryPct: T.Optional(lowBatteryPct('battery charge below this (%) is a fault')),
    lowBatteryMv: T.Optional(lowBatteryMv('battery voltage below this (mV) is a fault; 0 never judges the voltage')),
  },
  { additionalProperties: false },
)
const batteryOverridePerType = Object.fromEntries(DEVICE_TYPES.map((t) => [t, T.Optional(BatteryOverride)])) as {
  [K in DeviceType]: TOptional<typeof BatteryOverride>
}

export const RulesSchema = T.Object(
  {
    fire: T.Object(
      {
        enabled,
        heatAlarmC: T.Number({ default: 57, description: 'fixed heat threshold, °C (EN 54-5 class A1 ~ 54-65 °C)' }),
        heatRiseCPerMin: T.Number({ default: 8, exclusiveMinimum: 0, description: 'rate-of-rise threshold, °C/min' }),
        confirmWindowSec: T.Number({
          default: 120,
          exclusiveMinimum: 0,
          description: 'two detectors within this → confirmed fire',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    flood: T.Object(
      {
        enabled,
        warningCm: T.Number({ default: 2, description: 'water level for a major flood alarm, cm' }),
        criticalCm: T.Number({ default: 5, description: 'water level for a critical flood alarm, cm' }),
        hysteresisCm: T.Number({
          default: 0.5,
          minimum: 0,
          description: 'a level must fall this far below a threshold to count as below it',
        }),
        clearHoldSec: T.Number({
          default: 60,
          minimum: 0,
          description: 'dry / below threshold this long before the alarm clears',
        }),
        predictWindowSec: T.Number({
          default: 300,
          exclusiveMinimum: 0,
          description: 'readings this recent give the rising rate',
        }),
        weatherKinds: T.Array(T.String(), {
          default: ['rainstorm', 'typhoon', 'flood'],
          description: 'warnings that mean: prepare flood defences',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    robbery: T.Object({ enabled }, { additionalProperties: false, default: {} }),
    terminalFault: T.Object(
      {
        enabled,
        settleSec: T.Number({ default: 120, minimum: 0, description: 'healthy this long before a fault clears' }),
        warningCodes: T.Array(T.String(), {
          default: ['paper_low', 'ink_low', 'cash_low', 'card_stock_low'],
          description: 'codes that only tell staff, never customers',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    power: T.Object({ enabled }, { additionalProperties: false, default: {} }),
    system: T.Object(
      {
        enabled,
        reportMin: T.Number({
          default: 5,
          exclusiveMinimum: 0,
          description: 'service standard §5.3.3 (docs/requirements.md#sources): report to the duty manager within',
        }),
        clearMin: T.Number({
          default: 30,
          exclusiveMinimum: 0,
          description: 'service standard §5.3.3 (docs/requirements.md#sources): escalate if not cleared within',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    supervision: T.Object(
      {
        enabled,
        silenceFactor: T.Number({
          default: 2,
          minimum: 1,
          description: 'an MQTT device is in fault after this many heartbeat intervals of silence',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    deviceHealth: T.Object(
      {
        enabled,
        lowBatteryPct: T.Number({
          default: 15,
          minimum: 0,
          maximum: 100,
          description: 'battery charge below this (%) is a fault, for every type unless `types` says otherwise',
        }),
        types: T.Object(batteryOverridePerType, {
          additionalProperties: false,
          default: {},
          description:
            'per device type, e.g. smoke: { lowBatteryMv: 7500 } for 9 V alarms; overrides lowBatteryPct and the type default voltage',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
)

export type RuleSettings = Static<typeof RulesSchema>
