// @ts-check
/**
 * What a device's line on the console says about it, as pure functions of the snapshot: its
 * state (in alarm, in fault, offline, ok) and its reading's value. The communication status
 * alone would show a detector that is in fire alarm as "ok".
 */

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./types.js').Device} Device */
/** @typedef {'alarm' | 'fault' | 'offline' | 'ok'} DeviceState */

/** Alarms that mean the device senses the hazard (or a queue past its wait target) itself, not that it is broken. */
const HAZARD_KINDS = new Set(['fire', 'flood', 'robbery', 'power_outage', 'queue_wait'])
/** Fault kinds raised for a device that is broken rather than sensing a hazard. */
const FAULT_KINDS = new Set(['device_fault', 'terminal_fault', 'system_fault', 'facility_fault'])
/** Device fault reasons (rules/supervision.ts, devices/) that mean the gateway cannot hear the device. */
const OFFLINE_REASONS = new Set(['silent', 'comm', 'connection_lost', 'connection_refused', 'gpio_unavailable'])

/**
 * In alarm beats offline beats fault: the line says the most urgent thing about the device.
 * @param {Pick<Device, 'id' | 'status' | 'faults'>} device
 * @param {readonly Pick<Alarm, 'deviceId' | 'kind' | 'state' | 'conditionActive' | 'details'>[]} alarms
 * @returns {DeviceState}
 */
export function deviceState(device, alarms) {
  const open = alarms.filter((a) => a.deviceId === device.id && a.state !== 'closed' && a.conditionActive)
  if (open.some((a) => HAZARD_KINDS.has(a.kind))) return 'alarm'
  const offline =
    device.faults.some((f) => OFFLINE_REASONS.has(f.reason)) ||
    open.some((a) => a.kind === 'terminal_fault' && a.details.offline === true)
  if (offline) return 'offline'
  if (device.status === 'fault' || open.some((a) => FAULT_KINDS.has(a.kind))) return 'fault'
  return 'ok'
}

/**
 * A number with its unit (`95 °C`, `80%`), or null for a yes/no value, which the page words itself.
 * @param {number | string | boolean} value
 * @param {string | undefined} unit
 * @returns {string | null}
 */
export function readingValue(value, unit) {
  if (typeof value === 'boolean') return null
  if (!unit) return String(value)
  // a percent sign sits on the number; every other unit stands apart from it
  return unit === '%' ? `${value}%` : `${value} ${unit}`
}
