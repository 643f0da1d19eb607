import { describe, expect, it } from 'vitest'
import { manualTime } from '../../test/support/manualTime.js'
import { createOutputPattern } from './outputPattern.js'

function pattern(options: { pulseOnMs?: number; pulseOffMs?: number } = {}) {
  const time = manualTime(0)
  const driven: [number, boolean][] = []
  const p = createOutputPattern({ ...options, timers: time.timers, drive: (on) => driven.push([time.now(), on]) })
  return { time, driven, p }
}

describe('output patterns (on / off / pulse)', () => {
  it('a steady siren switches on at once and off when told, with no timer', () => {
    const { time, driven, p } = pattern()
    p.set(true)
    expect(driven).toEqual([[0, true]])
    expect(time.pendingCount()).toBe(0)
    time.advance(10_000)
    p.set(false)
    expect(driven).toEqual([
      [0, true],
      [10_000, false],
    ])
  })

  it('a pulsed strobe blinks on-time / off-time until switched off', () => {
    const { time, driven, p } = pattern({ pulseOnMs: 200, pulseOffMs: 800 })
    p.set(true)
    time.advance(2100)
    p.set(false)
    expect(driven).toEqual([
      [0, true],
      [200, false],
      [1000, true],
      [1200, false],
      [2000, true],
      [2100, false],
    ])
    time.advance(5000)
    expect(driven).toHaveLength(6)
    expect(time.pendingCount()).toBe(0)
  })

  it('the off-time defaults to the on-time', () => {
    const { time, driven, p } = pattern({ pulseOnMs: 500 })
    p.set(true)
    time.advance(1500)
    expect(driven.map(([t]) => t)).toEqual([0, 500, 1000, 1500])
  })

  it('asking for the state it is already in changes nothing (no restarted pulse, no extra write)', () => {
    const { time, driven, p } = pattern({ pulseOnMs: 500 })
    p.set(true)
    time.advance(300)
    p.set(true)
    time.advance(200)
    expect(driven).toEqual([
      [0, true],
      [500, false],
    ])
    p.set(false)
    p.set(false)
    expect(driven).toHaveLength(3)
  })

  it('the first level is driven inside set(): no timer between the intent and the pin', () => {
    const { driven, p } = pattern({ pulseOnMs: 100 })
    p.set(true)
    expect(driven).toEqual([[0, true]])
  })
})
