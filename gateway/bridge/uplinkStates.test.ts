import { describe, expect, it } from 'vitest'
import { nextUplinkState, UPLINK_INPUTS, UPLINK_STATES, type UplinkInput, type UplinkState } from './uplinkStates.js'

type Row = [state: UplinkState, input: UplinkInput, expected: UplinkState | 'invalid']

/** Every (state, input) pair, written out so a change to the machine has to change this table too. */
const TABLE: Row[] = [
  ['offline', 'connect', 'online'],
  ['offline', 'disconnect', 'offline'],
  ['offline', 'stop', 'stopped'],
  ['online', 'connect', 'online'],
  ['online', 'disconnect', 'offline'],
  ['online', 'stop', 'stopped'],
  ['stopped', 'connect', 'invalid'],
  ['stopped', 'disconnect', 'invalid'],
  ['stopped', 'stop', 'invalid'],
]

describe('the uplink sender state machine', () => {
  it.each(TABLE)('%s on %s → %s', (state, input, expected) => {
    expect(nextUplinkState(state, input)).toBe(expected)
  })

  it('covers every state and input', () => {
    for (const state of UPLINK_STATES)
      for (const input of UPLINK_INPUTS)
        expect(
          TABLE.filter((r) => r[0] === state && r[1] === input),
          `${state} ${input}`,
        ).toHaveLength(1)
  })
})
