import { describe, expect, it } from 'vitest'
import {
  INFLUX_INPUTS,
  INFLUX_LINKS,
  INFLUX_RUNS,
  type InfluxInput,
  type InfluxLink,
  type InfluxRun,
  initialInfluxState,
  isUp,
  needsSetup,
  nextInfluxState,
  outageOpen,
} from './influxWriterStates.js'

type Row = [link: InfluxLink, run: InfluxRun, input: InfluxInput, expected: string]

const show = (t: ReturnType<typeof nextInfluxState>): string => (t === 'invalid' ? t : `${t.link}/${t.run}`)

/**
 * The link part while running: every (link, input) pair, written out so a
 * change to the machine has to change this table too. `expected` is
 * `link/run` or `invalid`.
 */
const LINK_TABLE: Row[] = [
  ['setup', 'running', 'unavailable', 'down_setup/running'],
  ['setup', 'running', 'missing_database', 'down_setup/running'],
  ['setup', 'running', 'probe_ok', 'invalid'],
  ['setup', 'running', 'schema_ready', 'up/running'],
  ['setup', 'running', 'write_ok', 'invalid'],
  ['up', 'running', 'unavailable', 'down/running'],
  ['up', 'running', 'missing_database', 'down_setup/running'],
  ['up', 'running', 'probe_ok', 'invalid'],
  ['up', 'running', 'schema_ready', 'invalid'],
  ['up', 'running', 'write_ok', 'up/running'],
  ['down', 'running', 'unavailable', 'invalid'],
  ['down', 'running', 'missing_database', 'down_setup/running'],
  ['down', 'running', 'probe_ok', 'recovering/running'],
  ['down', 'running', 'schema_ready', 'invalid'],
  ['down', 'running', 'write_ok', 'invalid'],
  ['down_setup', 'running', 'unavailable', 'invalid'],
  ['down_setup', 'running', 'missing_database', 'invalid'],
  ['down_setup', 'running', 'probe_ok', 'recovering_setup/running'],
  ['down_setup', 'running', 'schema_ready', 'invalid'],
  ['down_setup', 'running', 'write_ok', 'invalid'],
  ['recovering', 'running', 'unavailable', 'down/running'],
  ['recovering', 'running', 'missing_database', 'down_setup/running'],
  ['recovering', 'running', 'probe_ok', 'invalid'],
  ['recovering', 'running', 'schema_ready', 'invalid'],
  ['recovering', 'running', 'write_ok', 'up/running'],
  ['recovering_setup', 'running', 'unavailable', 'down_setup/running'],
  ['recovering_setup', 'running', 'missing_database', 'down_setup/running'],
  ['recovering_setup', 'running', 'probe_ok', 'invalid'],
  ['recovering_setup', 'running', 'schema_ready', 'recovering/running'],
  ['recovering_setup', 'running', 'write_ok', 'invalid'],
]

/** The run part, and the one link input that depends on it: a probe answer once stopping. */
const RUN_TABLE: Row[] = [
  ['up', 'running', 'stop', 'up/stopping'],
  ['down', 'running', 'stop', 'down/stopping'],
  ['up', 'running', 'close', 'invalid'],
  ['up', 'stopping', 'stop', 'invalid'],
  ['down', 'stopping', 'close', 'down/closed'],
  ['recovering_setup', 'stopping', 'close', 'recovering_setup/closed'],
  ['up', 'closed', 'stop', 'invalid'],
  ['up', 'closed', 'close', 'invalid'],
  ['down', 'stopping', 'probe_ok', 'invalid'],
  ['down_setup', 'stopping', 'probe_ok', 'invalid'],
  ['down', 'closed', 'probe_ok', 'invalid'],
  ['down_setup', 'closed', 'probe_ok', 'invalid'],
]

const LINK_INPUTS = INFLUX_INPUTS.filter((i) => i !== 'stop' && i !== 'close')

describe('the InfluxDB writer state machine', () => {
  it.each(LINK_TABLE)('%s/%s on %s → %s', (link, run, input, expected) => {
    expect(show(nextInfluxState({ link, run }, input))).toBe(expected)
  })

  it.each(RUN_TABLE)('%s/%s on %s → %s', (link, run, input, expected) => {
    expect(show(nextInfluxState({ link, run }, input))).toBe(expected)
  })

  // every other (link, run, input) combination, derived from the two tables above
  describe.each(INFLUX_LINKS.flatMap((link) => INFLUX_RUNS.map((run) => [link, run] as const)))(
    '%s/%s',
    (link, run) => {
      it.each(LINK_INPUTS)('on %s moves the link as while running, and keeps the run', (input) => {
        const row = LINK_TABLE.find((r) => r[0] === link && r[2] === input)
        if (!row) throw new Error(`no row for ${link} ${input}`)
        const probeWhileStopping = input === 'probe_ok' && run !== 'running'
        const expected = probeWhileStopping || row[3] === 'invalid' ? 'invalid' : row[3].replace('running', run)
        expect(show(nextInfluxState({ link, run }, input))).toBe(expected)
      })

      it.each(['stop', 'close'] as const)('on %s keeps the link', (input) => {
        const legal = (input === 'stop' && run === 'running') || (input === 'close' && run === 'stopping')
        const expected = legal ? `${link}/${input === 'stop' ? 'stopping' : 'closed'}` : 'invalid'
        expect(show(nextInfluxState({ link, run }, input))).toBe(expected)
      })
    },
  )

  it('covers every link and input in the written-out table', () => {
    for (const link of INFLUX_LINKS)
      for (const input of LINK_INPUTS)
        expect(
          LINK_TABLE.filter((r) => r[0] === link && r[2] === input),
          `${link} ${input}`,
        ).toHaveLength(1)
  })

  it('starts with the setup only when it manages the database', () => {
    expect(initialInfluxState(true)).toEqual({ link: 'setup', run: 'running' })
    expect(initialInfluxState(false)).toEqual({ link: 'up', run: 'running' })
  })

  it.each([
    ['setup', true, true, false],
    ['up', true, false, false],
    ['down', false, false, true],
    ['down_setup', false, true, true],
    ['recovering', true, false, true],
    ['recovering_setup', true, true, true],
  ] as const)('%s: up %s, needs setup %s, outage open %s', (link, up, setup, open) => {
    expect([isUp(link), needsSetup(link), outageOpen(link)]).toEqual([up, setup, open])
  })
})
