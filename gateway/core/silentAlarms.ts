import { type Role, roleAtLeast } from './roles.js'

/**
 * Robbery is silent: a counter tablet or a viewer screen may be in sight of
 * the robbers, so a silent alarm exists only for managers and admins (the
 * ones who may reset it). The one rule for every way in: the HTTP API, the
 * console stream, the metrics, and commands from the centre.
 */
export function seesAlarm(role: Role, alarm: { readonly silent: boolean }): boolean {
  return !alarm.silent || roleAtLeast(role, 'manager')
}
