/**
 * The outbox's lifecycle as one pure transition function, tested for every
 * (state, input) pair. Which channels have a delivery loop running is data
 * beside it, not part of the lifecycle.
 *
 * - idle: created, not polling. `send()` still delivers at once and `pump()`
 *   works when called; only the timer is missing.
 * - running: `start()` was called; a timer pumps every `pollMs`.
 * - stopped: no new delivery starts; a pump only expires and purges. A
 *   delivery already in flight finishes (within its timeout). `start()`
 *   resumes.
 */
export type OutboxState = 'idle' | 'running' | 'stopped'

export type OutboxInput = 'start' | 'stop'

export const OUTBOX_STATES: readonly OutboxState[] = ['idle', 'running', 'stopped']
export const OUTBOX_INPUTS: readonly OutboxInput[] = ['start', 'stop']

/** The input means nothing in that state; the outbox ignores it and stays where it is. */
export const INVALID = 'invalid'

/**
 * Where `input` takes the outbox from `state`. Starting twice is invalid (one
 * timer is enough), and so is stopping twice, though `stop()` still waits for
 * the deliveries in flight each time it is called.
 */
export function nextOutboxState(state: OutboxState, input: OutboxInput): OutboxState | typeof INVALID {
  switch (input) {
    case 'start':
      return state === 'running' ? INVALID : 'running'
    case 'stop':
      return state === 'stopped' ? INVALID : 'stopped'
  }
}

/** Whether new deliveries may start: a notification sent while stopped waits in SQLite for the next start. */
export const startsDeliveries = (state: OutboxState): boolean => state !== 'stopped'
