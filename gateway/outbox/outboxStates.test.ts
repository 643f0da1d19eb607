import { describe, expect, it } from 'vitest'
import {
  nextOutboxState,
  OUTBOX_INPUTS,
  OUTBOX_STATES,
  type OutboxInput,
  type OutboxState,
  startsDeliveries,
} from './outboxStates.js'

type Row = [state: OutboxState, input: OutboxInput, expected: OutboxState | 'invalid']

/** Every (state, input) pair, written out so a change to the machine has to change this table too. */
const TABLE: Row[] = [
  ['idle', 'start', 'running'],
  ['idle', 'stop', 'stopped'],
  ['running', 'start', 'invalid'],
  ['running', 'stop', 'stopped'],
  ['stopped', 'start', 'running'],
  ['stopped', 'stop', 'invalid'],
]

describe('the outbox state machine', () => {
  it.each(TABLE)('%s on %s → %s', (state, input, expected) => {
    expect(nextOutboxState(state, input)).toBe(expected)
  })

  it('covers every state and input', () => {
    for (const state of OUTBOX_STATES)
      for (const input of OUTBOX_INPUTS)
        expect(
          TABLE.filter((r) => r[0] === state && r[1] === input),
          `${state} ${input}`,
        ).toHaveLength(1)
  })

  it.each([
    ['idle', true],
    ['running', true],
    ['stopped', false],
  ] as const)('starts deliveries while %s: %s', (state, expected) => {
    expect(startsDeliveries(state)).toBe(expected)
  })
})
