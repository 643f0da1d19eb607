import type { DeviceType } from '../../gateway/core/reading.js'
import type { GpioDeviceConfig } from './gpioSchema.js'

/**
 * Pure input logic (docs/requirements.md#gpio: debounce, active-low, normally-closed
 * wiring). Drivers hand over raw levels; this turns them into metric values.
 */

/** The metric a GPIO device reports when the config names none. */
const DEFAULT_METRICS: Partial<Record<DeviceType, string>> = {
  panic_button: 'pressed',
  complaint_button: 'pressed',
  leak: 'water_leak',
  power: 'on_battery',
  // zigbee2mqtt's convention: contact true = door closed
  door: 'contact',
  siren: 'on',
  strobe: 'on',
}

/** The metric a GPIO device reports: `gpio.metric`, else its type's default (`state` for types without one). */
export function gpioMetric(type: DeviceType, gpio: Pick<GpioDeviceConfig, 'metric'>): string {
  return gpio.metric ?? DEFAULT_METRICS[type] ?? 'state'
}

/**
 * The value a metric takes in the alarm condition. Most say "something is
 * wrong" with true; `contact` (door closed) and `loop_ok` say it with false.
 */
const ALARM_FALSE_METRICS: ReadonlySet<string> = new Set(['contact', 'loop_ok'])

export function alarmValue(metric: string): boolean {
  return !ALARM_FALSE_METRICS.has(metric)
}

type InputWiring = Pick<GpioDeviceConfig, 'activeLow' | 'wiring'>

/**
 * Whether a raw level is the alarm condition. "Active" is the contact closed
 * (active-low: it pulls the line to ground). NO: a closed contact is the
 * alarm. NC: the loop is closed at rest, so anything else (a pressed button,
 * a cut wire floating to its pull-up) is the alarm (docs/requirements.md#gpio: an open loop is
 * an alarm, not silence).
 */
export function isAlarmLevel(level: boolean, gpio: InputWiring): boolean {
  const closed = gpio.activeLow ? !level : level
  return gpio.wiring === 'nc' ? !closed : closed
}

/** The metric value a debounced raw level stands for. */
export function inputValue(level: boolean, gpio: InputWiring, metric: string): boolean {
  return isAlarmLevel(level, gpio) === alarmValue(metric)
}

/** The raw level of the quiet (`alarm` false) or alarm condition: the inverse of `isAlarmLevel`, for simulators. */
export function levelFor(alarm: boolean, gpio: InputWiring): boolean {
  const closed = gpio.wiring === 'nc' ? !alarm : alarm
  return gpio.activeLow ? !closed : closed
}

/**
 * Debounce state: the last level that counted, and the latest raw level
 * with when it was first seen. A level counts once it has been stable for
 * `debounceMs` (docs/requirements.md#gpio: a bouncing button gives one press).
 */
export interface DebounceState {
  /** The level that counts; the initial read counts at once (rules must know the loop state at boot). */
  readonly stable: boolean
  readonly raw: boolean
  /** When `raw` was first seen, ms. */
  readonly rawSince: number
}

export function initialDebounce(level: boolean, nowMs: number): DebounceState {
  return { stable: level, raw: level, rawSince: nowMs }
}

/** Records a raw level from the wire; a repeat of the latest raw level keeps its start time. */
export function recordEdge(state: DebounceState, level: boolean, nowMs: number): DebounceState {
  if (level === state.raw) return state
  return { ...state, raw: level, rawSince: nowMs }
}

/** When the latest raw level will have been stable long enough, or null when there is nothing to settle. */
export function settlesAt(state: DebounceState, debounceMs: number): number | null {
  return state.raw === state.stable ? null : state.rawSince + debounceMs
}

/**
 * Settles the latest raw level if it has been stable for `debounceMs`.
 * `changed` is the new stable level when it changed, else undefined.
 */
export function settle(
  state: DebounceState,
  nowMs: number,
  debounceMs: number,
): { readonly state: DebounceState; readonly changed?: boolean } {
  if (state.raw === state.stable || nowMs - state.rawSince < debounceMs) return { state }
  return { state: { ...state, stable: state.raw }, changed: state.raw }
}
