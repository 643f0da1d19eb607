import { describe, expect, it } from 'vitest'
import {
  alarmValue,
  type DebounceState,
  gpioMetric,
  initialDebounce,
  inputValue,
  isAlarmLevel,
  levelFor,
  recordEdge,
  settle,
  settlesAt,
} from './inputLogic.js'

const HIGH = true
const LOW = false

describe('GPIO input wiring (active-low, normally-closed loops)', () => {
  it('a normally-open button to ground alarms when pressed (line pulled low)', () => {
    const wiring = { activeLow: true, wiring: 'no' } as const
    expect(isAlarmLevel(LOW, wiring)).toBe(true)
    expect(isAlarmLevel(HIGH, wiring)).toBe(false)
  })

  it('an opened NC loop gives an alarm condition: a cut wire floats to the pull-up and must not look quiet', () => {
    const wiring = { activeLow: true, wiring: 'nc' } as const
    expect(isAlarmLevel(LOW, wiring)).toBe(false) // loop closed to ground: quiet
    expect(isAlarmLevel(HIGH, wiring)).toBe(true) // loop open (pressed or cut)
    expect(inputValue(HIGH, wiring, 'pressed')).toBe(true)
  })

  it('an active-high NC loop alarms when the line drops low', () => {
    const wiring = { activeLow: false, wiring: 'nc' } as const
    expect(isAlarmLevel(HIGH, wiring)).toBe(false)
    expect(isAlarmLevel(LOW, wiring)).toBe(true)
  })

  it('an open door loop reports contact false, the way zigbee2mqtt door sensors do', () => {
    const wiring = { activeLow: true, wiring: 'nc' } as const
    expect(inputValue(HIGH, wiring, 'contact')).toBe(false)
    expect(inputValue(LOW, wiring, 'contact')).toBe(true)
  })

  it('each device type has its GPIO metric, and the config can name another', () => {
    expect(gpioMetric('panic_button', {})).toBe('pressed')
    expect(gpioMetric('complaint_button', {})).toBe('pressed')
    expect(gpioMetric('leak', {})).toBe('water_leak')
    expect(gpioMetric('power', {})).toBe('on_battery')
    expect(gpioMetric('door', {})).toBe('contact')
    expect(gpioMetric('siren', {})).toBe('on')
    expect(gpioMetric('strobe', {})).toBe('on')
    expect(gpioMetric('panic_button', { metric: 'loop_ok' })).toBe('loop_ok')
    expect(alarmValue('loop_ok')).toBe(false)
    expect(alarmValue('water_leak')).toBe(true)
  })

  it.each([
    [true, 'no'],
    [true, 'nc'],
    [false, 'no'],
    [false, 'nc'],
  ] as const)('levelFor is the inverse of isAlarmLevel (activeLow %s, %s)', (activeLow, wiring) => {
    for (const alarm of [true, false])
      expect(isAlarmLevel(levelFor(alarm, { activeLow, wiring }), { activeLow, wiring })).toBe(alarm)
  })
})

describe('debounce (a level counts once stable for debounceMs)', () => {
  const DEBOUNCE_MS = 50

  /** Feeds raw levels at the given times, settling whenever a level has been stable long enough. */
  function run(start: DebounceState, edges: readonly [number, boolean][], endMs: number): boolean[] {
    let state = start
    const counted: boolean[] = []
    const settleUpTo = (t: number): void => {
      const at = settlesAt(state, DEBOUNCE_MS)
      if (at === null || at > t) return
      const r = settle(state, at, DEBOUNCE_MS)
      state = r.state
      if (r.changed !== undefined) counted.push(r.changed)
    }
    for (const [t, level] of edges) {
      settleUpTo(t)
      state = recordEdge(state, level, t)
    }
    settleUpTo(endMs)
    return counted
  }

  it('a bouncing button gives one press', () => {
    // press at 1000 with 6 ms of contact bounce, held 300 ms
    const bounces: [number, boolean][] = [
      [1000, LOW],
      [1001, HIGH],
      [1002, LOW],
      [1004, HIGH],
      [1006, LOW],
    ]
    expect(run(initialDebounce(HIGH, 0), bounces, 1300)).toEqual([LOW])
  })

  it('a glitch shorter than the debounce time is ignored', () => {
    expect(
      run(
        initialDebounce(HIGH, 0),
        [
          [1000, LOW],
          [1010, HIGH],
        ],
        2000,
      ),
    ).toEqual([])
  })

  it('a press and a release each count once', () => {
    expect(
      run(
        initialDebounce(HIGH, 0),
        [
          [1000, LOW],
          [1003, HIGH],
          [1004, LOW],
          [1500, HIGH],
          [1502, LOW],
          [1503, HIGH],
        ],
        2000,
      ),
    ).toEqual([LOW, HIGH])
  })

  it('nothing settles before the level has been stable for the whole debounce time', () => {
    const state = recordEdge(initialDebounce(HIGH, 0), LOW, 1000)
    expect(settle(state, 1049, DEBOUNCE_MS).changed).toBeUndefined()
    expect(settle(state, 1050, DEBOUNCE_MS).changed).toBe(LOW)
    expect(settlesAt(state, DEBOUNCE_MS)).toBe(1050)
  })

  it('a repeated level keeps the time it was first seen', () => {
    const once = recordEdge(initialDebounce(HIGH, 0), LOW, 1000)
    expect(recordEdge(once, LOW, 1040)).toBe(once)
  })
})
