import type { AlarmState } from '../core/alarm.js'
import type { ErrorCode } from '../core/errors.js'

/** What can happen to an alarm (ISA-18.2, docs/requirements.md#alarm-lifecycle). */
export type AlarmInput = 'raise' | 'clear' | 'ack' | 'reset'

export interface LifecyclePosition {
  readonly state: AlarmState
  /** Whether the condition behind the alarm is present right now. */
  readonly conditionActive: boolean
}

export type Transition =
  | { readonly ok: true; readonly to: LifecyclePosition }
  | { readonly ok: false; readonly code: Extract<ErrorCode, 'alarm_transition_invalid' | 'condition_still_active'> }

const to = (state: AlarmState, conditionActive: boolean): Transition => ({ ok: true, to: { state, conditionActive } })
const invalid: Transition = { ok: false, code: 'alarm_transition_invalid' }

/**
 * The ISA-18.2 alarm state machine as one pure function, tested for every
 * (state, condition, latching, input) combination.
 *
 * - raise: normal → unacked; a condition coming back re-annunciates (unacked);
 *   a condition already present only updates the alarm (duplicates, docs/requirements.md#alarm-lifecycle).
 * - clear: a non-latching unacked alarm waits as cleared-unacked; an acked one
 *   returns to normal. A latching alarm stays active until reset.
 * - ack: unacked → acked; cleared-unacked → normal.
 * - reset: only latching alarms, and only once the condition has gone (a fire
 *   panel re-alarms at once if a detector still sees smoke).
 */
export function nextAlarmState(current: LifecyclePosition, latching: boolean, input: AlarmInput): Transition {
  const { state, conditionActive } = current
  if (state === 'closed') return input === 'raise' ? to('active_unacked', true) : invalid
  switch (input) {
    case 'raise':
      if (conditionActive) return to(state, true)
      return to('active_unacked', true)
    case 'clear':
      if (!conditionActive) return to(state, false)
      if (latching) return to(state, false)
      return state === 'active_acked' ? to('closed', false) : to('cleared_unacked', false)
    case 'ack':
      if (state === 'active_unacked') return to('active_acked', conditionActive)
      if (state === 'cleared_unacked') return to('closed', false)
      return invalid
    case 'reset':
      if (!latching) return invalid
      if (conditionActive) return { ok: false, code: 'condition_still_active' }
      return to('closed', false)
  }
}
