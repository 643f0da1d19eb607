import { ALARM_KINDS, type Alarm, type AlarmKind } from '../core/alarm.js'
import type { ReadingValue } from '../core/reading.js'
import { seesAlarm } from '../core/silentAlarms.js'

/**
 * The retained state topics HA reads that the gateway had no MQTT topic for
 * (docs/requirements.md#mqtt-topics, `<prefix>/state/…`). They sit in a
 * sub-tree only the gateway publishes, so no client can forge a reading or
 * an alarm count.
 */
export const stateTopics = (topicPrefix: string) => ({
  /** `online` / `offline`: supervision says the device is (not) heard from. */
  availability: (deviceId: string) => `${topicPrefix}/state/devices/${deviceId}/availability`,
  /** `true` / `false`: the device has an open device fault (low battery, tamper, silence…). */
  fault: (deviceId: string) => `${topicPrefix}/state/devices/${deviceId}/fault`,
  /** The metric's latest accepted value, bare: `true`, `21.5`, `ok`. */
  value: (deviceId: string, metric: string) => `${topicPrefix}/state/devices/${deviceId}/values/${metric}`,
  /** JSON: open alarms by kind, silent ones never counted, and their `total`. */
  alarmSummary: `${topicPrefix}/state/alarms`,
  /** The gateway's own last will (docs/requirements.md#mqtt-topics). */
  gatewayStatus: `${topicPrefix}/gateway/status`,
})

export type StateTopics = ReturnType<typeof stateTopics>

/**
 * Alarm kinds HA gets a count for. Robbery is silent by definition
 * (docs/requirements.md#robbery): a count that is always 0 would still tell
 * that the store has a robbery alarm to count, so it has no entity at all.
 */
export const SUMMARY_KINDS: readonly AlarmKind[] = ALARM_KINDS.filter((k) => k !== 'robbery')

export type AlarmSummary = Readonly<Record<AlarmKind | 'total', number>>

/**
 * Open alarms by kind as a viewer may see them: the same rule the API, the
 * console and the metrics use for an unauthenticated screen (gateway/core/silentAlarms.ts),
 * so a silent alarm of whatever kind is never counted.
 */
export function alarmSummary(open: Iterable<Alarm>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SUMMARY_KINDS.map((k) => [k, 0]))
  let total = 0
  for (const alarm of open) {
    if (alarm.state === 'closed' || !seesAlarm('viewer', alarm) || !(alarm.kind in counts)) continue
    counts[alarm.kind] = (counts[alarm.kind] ?? 0) + 1
    total++
  }
  return { ...counts, total }
}

/** Supervision's faults that mean the device is not heard from: its comm status or its silence (rules/supervision.ts). */
const UNREACHABLE = new Set(['comm', 'silent'])

export interface DeviceHealth {
  readonly available: boolean
  readonly fault: boolean
}

/** A device's health from the open alarms: unreachable while a comm or silence fault is active. */
export function deviceHealth(open: Iterable<Alarm>, deviceId: string): DeviceHealth {
  let available = true
  let fault = false
  for (const alarm of open) {
    if (alarm.kind !== 'device_fault' || alarm.deviceId !== deviceId || !alarm.conditionActive) continue
    if (!seesAlarm('viewer', alarm)) continue
    fault = true
    if (UNREACHABLE.has(alarm.key.split(':').at(-1) ?? '')) available = false
  }
  return { available, fault }
}

/** A reading as HA's payload: booleans as `true` / `false`, to match the discovery's payload_on / payload_off. */
export function valuePayload(value: ReadingValue): string {
  return typeof value === 'string' ? value : String(value)
}
