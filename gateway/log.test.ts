import { describe, expect, it } from 'vitest'
import { createLogger, createRateLimitedLog } from './log.js'

/** A real pino logger writing into an array, and a clock the test moves. */
function harness(intervalMs: number) {
  const lines: Record<string, unknown>[] = []
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) })
  let nowMs = 1_700_000_000_000
  const limited = createRateLimitedLog(log, intervalMs, () => nowMs)
  return {
    lines,
    limited,
    advance: (ms: number) => {
      nowMs += ms
    },
  }
}

describe('the rate-limited log (SPEC §9: bad input is logged at a bounded rate)', () => {
  it('writes the first line for a key at once, as a warning with its data', () => {
    const h = harness(10_000)
    h.limited('malformed_json', { reason: 'malformed_json', topic: 't/1' }, 'device message rejected')
    expect(h.lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'device message rejected',
        reason: 'malformed_json',
        topic: 't/1',
        suppressed: 0,
      }),
    ])
  })

  it('drops further lines for that key within the interval, and says how many on the next one', () => {
    const h = harness(10_000)
    for (let i = 0; i < 50; i++) {
      h.limited('malformed_json', { n: i }, 'device message rejected')
      h.advance(100) // 50 × 100 ms: all inside one 10 s window
    }
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([[0, 0]])

    h.advance(10_000)
    h.limited('malformed_json', { n: 50 }, 'device message rejected')
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([
      [0, 0],
      [50, 49],
    ])
  })

  it('starts the count of suppressed lines afresh after each written line', () => {
    const h = harness(1_000)
    h.limited('k', { n: 1 }, 'm')
    h.limited('k', { n: 2 }, 'm')
    h.advance(1_000)
    h.limited('k', { n: 3 }, 'm')
    h.advance(1_000)
    h.limited('k', { n: 4 }, 'm')
    expect(h.lines.map((l) => [l.n, l.suppressed])).toEqual([
      [1, 0],
      [3, 1],
      [4, 0],
    ])
  })

  it('limits each key on its own: one noisy reason does not hide another', () => {
    const h = harness(10_000)
    for (let i = 0; i < 10; i++) h.limited('unknown_device', { reason: 'unknown_device' }, 'device message rejected')
    h.limited('wrong_type', { reason: 'wrong_type' }, 'device message rejected')
    expect(h.lines.map((l) => l.reason)).toEqual(['unknown_device', 'wrong_type'])
  })

  it('at a steady flood writes one line per interval, however many arrive', () => {
    const h = harness(10_000)
    // 1000 messages a second for a minute
    for (let ms = 0; ms < 60_000; ms++) {
      h.limited('flood', {}, 'device message rejected')
      h.advance(1)
    }
    expect(h.lines).toHaveLength(6)
    expect(h.lines.slice(1).every((l) => l.suppressed === 9_999)).toBe(true)
  })
})
