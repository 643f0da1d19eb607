import { describe, expect, it } from 'vitest'
import { ALARM_STATES, type AlarmState } from '../core/alarm.js'
import { type AlarmInput, nextAlarmState, type Transition } from './alarmLifecycle.js'

type Row = [state: AlarmState, conditionActive: boolean, latching: boolean, input: AlarmInput, expected: string]

/**
 * Every (state, condition, latching, input) combination, written out so a
 * change to the state machine has to change this table too (docs/design.md#state-machines-as-tables).
 * `expected` is `state/active|gone`, or an error code.
 */
const TABLE: Row[] = [
  // normal
  ['closed', false, false, 'raise', 'active_unacked/active'],
  ['closed', false, false, 'clear', 'alarm_transition_invalid'],
  ['closed', false, false, 'ack', 'alarm_transition_invalid'],
  ['closed', false, false, 'reset', 'alarm_transition_invalid'],
  ['closed', false, true, 'raise', 'active_unacked/active'],
  ['closed', false, true, 'clear', 'alarm_transition_invalid'],
  ['closed', false, true, 'ack', 'alarm_transition_invalid'],
  ['closed', false, true, 'reset', 'alarm_transition_invalid'],
  // non-latching
  ['active_unacked', true, false, 'raise', 'active_unacked/active'],
  ['active_unacked', true, false, 'clear', 'cleared_unacked/gone'],
  ['active_unacked', true, false, 'ack', 'active_acked/active'],
  ['active_unacked', true, false, 'reset', 'alarm_transition_invalid'],
  ['active_acked', true, false, 'raise', 'active_acked/active'],
  ['active_acked', true, false, 'clear', 'closed/gone'],
  ['active_acked', true, false, 'ack', 'alarm_transition_invalid'],
  ['active_acked', true, false, 'reset', 'alarm_transition_invalid'],
  ['cleared_unacked', false, false, 'raise', 'active_unacked/active'],
  ['cleared_unacked', false, false, 'clear', 'cleared_unacked/gone'],
  ['cleared_unacked', false, false, 'ack', 'closed/gone'],
  ['cleared_unacked', false, false, 'reset', 'alarm_transition_invalid'],
  // latching, condition present
  ['active_unacked', true, true, 'raise', 'active_unacked/active'],
  ['active_unacked', true, true, 'clear', 'active_unacked/gone'],
  ['active_unacked', true, true, 'ack', 'active_acked/active'],
  ['active_unacked', true, true, 'reset', 'condition_still_active'],
  ['active_acked', true, true, 'raise', 'active_acked/active'],
  ['active_acked', true, true, 'clear', 'active_acked/gone'],
  ['active_acked', true, true, 'ack', 'alarm_transition_invalid'],
  ['active_acked', true, true, 'reset', 'condition_still_active'],
  // latching, condition gone: waits for a reset, re-annunciates if it comes back
  ['active_unacked', false, true, 'raise', 'active_unacked/active'],
  ['active_unacked', false, true, 'clear', 'active_unacked/gone'],
  ['active_unacked', false, true, 'ack', 'active_acked/gone'],
  ['active_unacked', false, true, 'reset', 'closed/gone'],
  ['active_acked', false, true, 'raise', 'active_unacked/active'],
  ['active_acked', false, true, 'clear', 'active_acked/gone'],
  ['active_acked', false, true, 'ack', 'alarm_transition_invalid'],
  ['active_acked', false, true, 'reset', 'closed/gone'],
]

function show(t: Transition): string {
  return t.ok ? `${t.to.state}/${t.to.conditionActive ? 'active' : 'gone'}` : t.code
}

describe('the ISA-18.2 alarm state machine', () => {
  it.each(TABLE)('%s (condition %s, latching %s) on %s → %s', (state, conditionActive, latching, input, expected) => {
    expect(show(nextAlarmState({ state, conditionActive }, latching, input))).toBe(expected)
  })

  it('covers every reachable state, input and latching combination', () => {
    const inputs: AlarmInput[] = ['raise', 'clear', 'ack', 'reset']
    // which condition values a state can have: a latching alarm never waits as cleared-unacked,
    // and a non-latching one is only active while its condition is present
    const reachable = (s: AlarmState, latching: boolean): boolean[] => {
      if (s === 'closed') return [false]
      if (s === 'cleared_unacked') return latching ? [] : [false]
      return latching ? [true, false] : [true]
    }
    for (const state of ALARM_STATES)
      for (const latching of [false, true])
        for (const conditionActive of reachable(state, latching))
          for (const input of inputs)
            expect(
              TABLE.some((r) => r[0] === state && r[1] === conditionActive && r[2] === latching && r[3] === input),
              `${state} ${conditionActive} ${latching} ${input}`,
            ).toBe(true)
  })
})
