/**
 * The InfluxDB writer's lifecycle as one pure transition function, tested for
 * every (state, input) pair. Buffers, timers and counters stay data in the
 * writer; this module says what InfluxDB looks like to it and whether it is
 * still taking points.
 *
 * The state has two parts that change independently: the link to InfluxDB
 * and the writer's own run (running until `stop()`).
 */

/**
 * - setup: InfluxDB looks healthy; the database, policies and queries are to
 *   be created before the first write (only with `manageDatabase`).
 * - up: writes go out.
 * - down: an outage: batches go to the disk buffer and a probe runs.
 * - down_setup: the same, after a write found the database missing: the setup
 *   runs again once InfluxDB answers.
 * - recovering: the probe answered and the buffer replays, but no write has
 *   landed yet; the outage is still open (a server that answers the probe and
 *   refuses writes must not log a new outage every probe interval).
 * - recovering_setup: the same, with the setup to run before the replay.
 */
export type InfluxLink = 'setup' | 'up' | 'down' | 'down_setup' | 'recovering' | 'recovering_setup'

/**
 * - running: points are taken.
 * - stopping: `stop()` was called: no new points, no replay, no probe; the
 *   write in flight finishes and what is left goes to the disk buffer.
 * - closed: the disk buffer is closed. Final.
 */
export type InfluxRun = 'running' | 'stopping' | 'closed'

export interface InfluxWriterState {
  readonly link: InfluxLink
  readonly run: InfluxRun
}

/**
 * - unavailable: a write, the setup or the pump failed because InfluxDB is not
 *   there (connection error, timeout, 5xx).
 * - missing_database: a write was answered 404 and the writer manages the
 *   database (without `manageDatabase` a 404 is plain `unavailable`).
 * - probe_ok: the probe found a host online.
 * - schema_ready: the setup is done (or failed for a reason other than
 *   InfluxDB being away, e.g. no admin rights: writes are tried anyway).
 * - write_ok: a write stored at least one point.
 * - stop: `stop()` was called.
 * - close: the disk buffer was closed.
 */
export type InfluxInput =
  | 'unavailable'
  | 'missing_database'
  | 'probe_ok'
  | 'schema_ready'
  | 'write_ok'
  | 'stop'
  | 'close'

export const INFLUX_LINKS: readonly InfluxLink[] = [
  'setup',
  'up',
  'down',
  'down_setup',
  'recovering',
  'recovering_setup',
]
export const INFLUX_RUNS: readonly InfluxRun[] = ['running', 'stopping', 'closed']
export const INFLUX_INPUTS: readonly InfluxInput[] = [
  'unavailable',
  'missing_database',
  'probe_ok',
  'schema_ready',
  'write_ok',
  'stop',
  'close',
]

/** The input means nothing in that state; the writer ignores it and stays where it is. */
export const INVALID = 'invalid'

/** The first state: the setup comes first only when the writer manages the database. */
export const initialInfluxState = (manageDatabase: boolean): InfluxWriterState => ({
  link: manageDatabase ? 'setup' : 'up',
  run: 'running',
})

type LinkInput = Exclude<InfluxInput, 'stop' | 'close'>

/**
 * The link part. Only the pump writes, one request at a time, and only while
 * the link is up, so a write result or a finished setup in a down state does
 * not happen; it is invalid rather than guessed at. A second failure while
 * down is invalid too: the outage is already being handled. A missing
 * database while plainly down still asks for the setup on recovery.
 */
const LINK: Readonly<Record<InfluxLink, Readonly<Record<LinkInput, InfluxLink | typeof INVALID>>>> = {
  setup: {
    unavailable: 'down_setup',
    missing_database: 'down_setup',
    probe_ok: INVALID,
    schema_ready: 'up',
    write_ok: INVALID,
  },
  up: {
    unavailable: 'down',
    missing_database: 'down_setup',
    probe_ok: INVALID,
    schema_ready: INVALID,
    write_ok: 'up',
  },
  down: {
    unavailable: INVALID,
    missing_database: 'down_setup',
    probe_ok: 'recovering',
    schema_ready: INVALID,
    write_ok: INVALID,
  },
  down_setup: {
    unavailable: INVALID,
    missing_database: INVALID,
    probe_ok: 'recovering_setup',
    schema_ready: INVALID,
    write_ok: INVALID,
  },
  recovering: {
    unavailable: 'down',
    missing_database: 'down_setup',
    probe_ok: INVALID,
    schema_ready: INVALID,
    write_ok: 'up',
  },
  recovering_setup: {
    unavailable: 'down_setup',
    missing_database: 'down_setup',
    probe_ok: INVALID,
    schema_ready: 'recovering',
    write_ok: INVALID,
  },
}

/**
 * Where `input` takes the writer from `state`. `stop` is taken once, `close`
 * only after it. The link moves the same whatever the run, except that a probe
 * answer is ignored once stopping: the buffer waits for the next start rather
 * than holding the shutdown up.
 */
export function nextInfluxState(state: InfluxWriterState, input: InfluxInput): InfluxWriterState | typeof INVALID {
  if (input === 'stop') return state.run === 'running' ? { link: state.link, run: 'stopping' } : INVALID
  if (input === 'close') return state.run === 'stopping' ? { link: state.link, run: 'closed' } : INVALID
  if (input === 'probe_ok' && state.run !== 'running') return INVALID
  const link = LINK[state.link][input]
  return link === INVALID ? INVALID : { link, run: state.run }
}

/** InfluxDB takes writes (as far as the writer knows): the pump may run. */
export const isUp = (link: InfluxLink): boolean => link !== 'down' && link !== 'down_setup'

/** The database setup has to run before the next write. */
export const needsSetup = (link: InfluxLink): boolean =>
  link === 'setup' || link === 'down_setup' || link === 'recovering_setup'

/** An outage was logged and has not yet ended with a write that landed. */
export const outageOpen = (link: InfluxLink): boolean => link !== 'setup' && link !== 'up'
