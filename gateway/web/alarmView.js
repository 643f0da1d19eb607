// @ts-check
/**
 * What the console does with alarms, as pure functions of the snapshot: the
 * order they are listed in, which buttons a role gets, which alarms sound.
 * No DOM here, so the rules read in one place and mirror the server's.
 */

/** @typedef {import('./types.js').Alarm} Alarm */

/** Roles (docs/requirements.md#http-api), least to most trusted (gateway/core/roles.ts). */
export const ROLES = ['viewer', 'staff', 'maintenance', 'manager', 'admin']

/**
 * False for an unknown role: a role the page does not know gets no buttons.
 * @param {string} role
 * @param {string} needed
 * @returns {boolean}
 */
export function roleAtLeast(role, needed) {
  const have = ROLES.indexOf(role)
  return have !== -1 && have >= ROLES.indexOf(needed)
}

/**
 * The more privileged of two roles (gateway/http/tokenAuth.ts higherRole).
 * @param {string} a
 * @param {string} b
 * @returns {string}
 */
export function higherRole(a, b) {
  return roleAtLeast(a, b) ? a : b
}

/** ITU-T X.733, most severe first. */
export const SEVERITIES = ['critical', 'major', 'minor', 'warning']

/** @param {string} severity */
function severityRank(severity) {
  const rank = SEVERITIES.indexOf(severity)
  return rank === -1 ? SEVERITIES.length : rank
}

/** @param {Alarm} alarm */
const unacked = (alarm) => alarm.state === 'active_unacked' || alarm.state === 'cleared_unacked'

/**
 * Open alarms first; of those, the ones nobody has acknowledged (ISA-18.2: they need someone now,
 * and on a phone the top card is the one in view); then most severe, then newest.
 * @param {readonly Alarm[]} alarms
 * @returns {Alarm[]}
 */
export function orderAlarms(alarms) {
  return [...alarms].sort(
    (a, b) =>
      Number(a.state === 'closed') - Number(b.state === 'closed') ||
      Number(unacked(b)) - Number(unacked(a)) ||
      severityRank(a.severity) - severityRank(b.severity) ||
      Date.parse(b.raisedAt) - Date.parse(a.raisedAt),
  )
}

/**
 * The buttons `role` gets on `alarm`, mirroring gateway/http/alarmRoutes.ts
 * so nobody is offered a button the server would refuse:
 * - ack: staff+, while there is something to acknowledge (ISA-18.2);
 * - reset: latching alarms whose condition has gone (the server answers 409
 *   while smoke is still detected), staff+ and at least `resetRole` (docs/requirements.md#robbery:
 *   a robbery alarm is reset by a manager, with a note);
 * - shelve: staff+, never fire or robbery (docs/requirements.md#shelving, `shelvable`).
 * @param {Alarm} alarm
 * @param {string} role
 * @returns {AllowedActions}
 */
export function allowedActions(alarm, role) {
  const staff = roleAtLeast(role, 'staff')
  return {
    ack: staff && (alarm.state === 'active_unacked' || alarm.state === 'cleared_unacked'),
    reset:
      alarm.latching === true &&
      alarm.state !== 'closed' &&
      alarm.conditionActive === false &&
      roleAtLeast(role, higherRole('staff', alarm.resetRole ?? 'staff')),
    shelve: staff && alarm.shelvable === true,
  }
}

/** @typedef {{ ack: boolean, reset: boolean, shelve: boolean }} AllowedActions */

/**
 * Why an acknowledged alarm offers no reset yet, so the clerk is not left guessing:
 * - `condition`: latching, and the condition is still there (the server refuses a reset while smoke is detected);
 * - `manager`: latching, and only a higher role may reset it (docs/requirements.md#robbery);
 * - `closes`: not latching, so it closes by itself once the condition has gone.
 * Empty before the ack (the ack button is what matters then) and once a reset is offered.
 * @param {Alarm} alarm
 * @param {string} role
 * @returns {('condition' | 'manager' | 'closes')[]}
 */
export function resetWaits(alarm, role) {
  if (alarm.state !== 'active_acked') return []
  if (!alarm.latching) return alarm.conditionActive ? ['closes'] : []
  /** @type {('condition' | 'manager')[]} */
  const waits = alarm.conditionActive ? ['condition'] : []
  const needed = higherRole('staff', alarm.resetRole ?? 'staff')
  // a viewer, who may reset nothing, is not told that a manager is needed for a staff reset
  if (needed !== 'staff' && !roleAtLeast(role, needed)) waits.push('manager')
  return waits
}

/**
 * @param {Alarm} alarm
 * @param {number} nowMs
 * @returns {boolean}
 */
export function isShelved(alarm, nowMs) {
  return alarm.shelvedUntil !== null && alarm.shelvedUntil !== undefined && Date.parse(alarm.shelvedUntil) > nowMs
}

/**
 * Whether `alarm` calls for the alarm tone: a fire or any critical alarm
 * nobody has acknowledged yet. Robbery (docs/requirements.md#robbery): a silent alarm never makes a
 * sound, whatever its severity — a robber must not hear that help was called.
 * A shelved alarm is hidden from annunciation (ISA-18.2) until its shelf ends.
 * @param {Alarm} alarm
 * @param {number} nowMs
 * @returns {boolean}
 */
export function needsSound(alarm, nowMs) {
  if (alarm.silent === true) return false
  if (alarm.state !== 'active_unacked') return false
  if (isShelved(alarm, nowMs)) return false
  return alarm.kind === 'fire' || alarm.severity === 'critical'
}

/**
 * Fire alarms that get the full-width banner: active and unacknowledged, never silent.
 * @param {readonly Alarm[]} alarms
 * @returns {Alarm[]}
 */
export function activeFires(alarms) {
  return alarms.filter((a) => a.kind === 'fire' && a.state === 'active_unacked' && a.silent !== true)
}
