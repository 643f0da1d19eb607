/**
 * The uplink sender's lifecycle as one pure transition function, tested for
 * every (state, input) pair. The sender holds the MQTT client as data beside
 * the state; this module only says when it may hand messages over.
 *
 * - offline: no session with the central broker; messages wait in SQLite.
 * - online: a session is up; the sender drains the queue into it.
 * - stopped: the gateway is shutting down; nothing is queued, sent or
 *   acknowledged any more. Final.
 */
export type UplinkState = 'offline' | 'online' | 'stopped'

/**
 * - connect: mqtt.js reports a session (also again on each reconnection, with
 *   a new client object and no disconnect in between).
 * - disconnect: the session closed; also repeated while reconnecting fails.
 * - stop: the gateway stops.
 */
export type UplinkInput = 'connect' | 'disconnect' | 'stop'

export const UPLINK_STATES: readonly UplinkState[] = ['offline', 'online', 'stopped']
export const UPLINK_INPUTS: readonly UplinkInput[] = ['connect', 'disconnect', 'stop']

/** The input means nothing in that state; the sender ignores it and stays where it is. */
export const INVALID = 'invalid'

/**
 * Where `input` takes the sender from `state`. Connection events while online
 * or offline are all legal, because mqtt.js repeats them; after a stop every
 * input is invalid, so a late `close` from the link or a second `stop()`
 * changes nothing.
 */
export function nextUplinkState(state: UplinkState, input: UplinkInput): UplinkState | typeof INVALID {
  if (state === 'stopped') return INVALID
  switch (input) {
    case 'connect':
      return 'online'
    case 'disconnect':
      return 'offline'
    case 'stop':
      return 'stopped'
  }
}
