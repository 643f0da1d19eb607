import { type Alarm, SEVERITIES } from '../core/alarm.js'
import { type Role, roleAtLeast } from '../core/roles.js'

/**
 * SPEC §5 robbery is silent: a counter tablet or a viewer screen may be in
 * sight of the robbers, so silent alarms are listed only for managers and
 * admins (the ones who may reset them). One rule for the API, the console
 * stream and the alarm history.
 */
export function seesAlarm(role: Role, alarm: Pick<Alarm, 'silent'>): boolean {
  return !alarm.silent || roleAtLeast(role, 'manager')
}

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
