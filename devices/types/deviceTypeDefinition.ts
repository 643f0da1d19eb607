import type { DeviceType, ReadingValue } from '../../gateway/core/reading.js'
import type { TicketableType } from '../../gateway/core/ticket.js'

export type MetricKind = 'boolean' | 'number' | 'string'

export interface MetricDefinition {
  readonly kind: MetricKind
  readonly unit?: string
  readonly description: string
  /**
   * The values a working device can send, bounds included; a number outside
   * is rejected as `out_of_range`, never clamped. Bounds are what is
   * physically impossible (a charge over 100 %, a temperature under absolute
   * zero), not what is alarming: a heat detector at 300 °C is a fire, not
   * a bad reading.
   */
  readonly range?: { readonly min?: number; readonly max?: number }
}

/** Nothing below absolute zero, °C. */
export const CELSIUS = { min: -273.15 } as const
export const PERCENT = { min: 0, max: 100 } as const
export const NOT_NEGATIVE = { min: 0 } as const

/**
 * A device type as data (docs/design.md#typed-registries): which metrics it reports, how often it
 * is expected to, and what a simulated one sends when all is well.
 */
export interface DeviceTypeDefinition {
  readonly type: DeviceType
  readonly metrics: Readonly<Record<string, MetricDefinition>>
  /**
   * Default report interval a device of this type is supervised against; a
   * device may override it with `heartbeatSec`. docs/requirements.md#supervision: life-safety sensors
   * (smoke, heat, panic: 30 min) are held tighter than comfort sensors
   * (temperature 1 h, door 2 h).
   */
  readonly heartbeatSec: number
  /**
   * A battery `voltage` under this (mV) is low, unless the store or the
   * device says otherwise (`lowBatteryMv`). Undefined for mains-powered
   * types, whose `voltage`, if any, is not a battery's.
   */
  readonly lowBatteryMv?: number
  /**
   * Set when a fault of this type gets a repair ticket (docs/requirements.md#ticketable-facilities):
   * its `fault_active` (true), `status` (`fault`) or `fault_code` (not 0 or empty) metric says so.
   */
  readonly ticket?: TicketableType
  /** One normal report, as a JSON object of metrics; `tick` varies values over time. */
  simulateNormal(tick: number): Readonly<Record<string, ReadingValue>>
}

/** Metrics every battery-powered Zigbee sensor reports (zigbee2mqtt naming). */
export const ZIGBEE_COMMON_METRICS = {
  battery: { kind: 'number', unit: '%', description: 'battery charge', range: PERCENT },
  battery_low: { kind: 'boolean', description: 'battery low warning' },
  battery_state: { kind: 'string', description: 'battery state as the device reports it' },
  tamper: { kind: 'boolean', description: 'enclosure opened or removed' },
  // no upper bound: 255 is the usual top, but coordinators scale LQI differently and it is only a diagnostic
  linkquality: { kind: 'number', unit: 'lqi', description: 'Zigbee link quality 0-255', range: NOT_NEGATIVE },
  voltage: { kind: 'number', unit: 'mV', description: 'battery voltage', range: NOT_NEGATIVE },
} as const satisfies Record<string, MetricDefinition>

/**
 * The metrics a ticketable facility reports its own fault with (docs/requirements.md#ticketable-facilities);
 * a type lists the ones its devices have.
 */
export const FACILITY_FAULT_METRICS = {
  // not `fault`: Home Assistant discovery already names the device's supervision state `<id>_fault`
  fault_active: { kind: 'boolean', description: 'true while the device reports a fault' },
  fault_code: { kind: 'number', description: "the device's own fault code; 0 when none", range: NOT_NEGATIVE },
} as const satisfies Record<string, MetricDefinition>
