import { type Alarm, SEVERITIES } from '../core/alarm.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmCommands, DeviceStatus } from '../core/ports.js'
import type { DeviceType } from '../core/reading.js'
import type { Role } from '../core/roles.js'
import { seesAlarm } from '../core/silentAlarms.js'

// the rule itself lives in core, so commands from the centre (bridge/) obey the very same one
export { seesAlarm }

/** The alarms `role` may see, most severe first, then newest first (ISA-18.2: priority before time). */
export function visibleAlarms(alarms: Iterable<Alarm>, role: Role): Alarm[] {
  return [...alarms]
    .filter((a) => seesAlarm(role, a))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        Date.parse(b.raisedAt) - Date.parse(a.raisedAt),
    )
}

/**
 * The one answer for an alarm that does not exist and for one the caller may
 * not see. It names no id and no kind, so the two cannot be told apart.
 */
export function alarmNotFound(): StoreGuardError {
  return new StoreGuardError('alarm_not_found', 'no such alarm')
}

/**
 * The alarm `id` as `role` may know it: the open one, else its last recorded
 * state (a closed alarm still has a history). Throws `alarmNotFound()` when
 * there is none or `role` may not see it, so every route that takes an alarm
 * id answers a hidden alarm exactly as a made-up id.
 */
export function findVisibleAlarm(alarms: Pick<AlarmCommands, 'get' | 'history'>, role: Role, id: string): Alarm {
  const open = alarms.get(id)
  const records = open ? [open] : alarms.history(id).map((e) => e.alarm)
  const last = records.at(-1)
  // any silent record hides the whole alarm: its past is as confidential as its present
  if (last === undefined || records.some((a) => !seesAlarm(role, a))) throw alarmNotFound()
  return last
}

/**
 * Devices whose readings are the silent alarm itself: a panic button's
 * `pressed`, `loop_ok` or `action`, and even the moment it was last heard
 * from (a GPIO button is heard only when pressed), would tell of a robbery.
 */
const SILENT_DEVICE_TYPES: ReadonlySet<DeviceType> = new Set(['panic_button'])

/**
 * The devices as `role` may see them: below manager, a panic button shows no
 * values and no last-seen time, and no device shows a fault that came from a
 * silent alarm (a tampered panic button) — it is `ok` if that was its only one.
 */
export function visibleDevices(devices: readonly DeviceStatus[], role: Role): DeviceStatus[] {
  if (seesAlarm(role, { silent: true })) return [...devices]
  return devices.map((device) => {
    const faults = device.faults.filter((f) => seesAlarm(role, f))
    const quiet = SILENT_DEVICE_TYPES.has(device.type)
    return {
      ...device,
      ...(quiet ? { values: {}, lastSeen: null } : {}),
      faults,
      status: faults.length > 0 ? device.status : 'ok',
    }
  })
}
