import { describe, expect, it } from 'vitest'
import { HELD_OFF, HELD_ON, levelOf, nextHeld } from './heldCondition.js'

const hold = { onMs: 60_000, offMs: 120_000 }

describe('a held threshold condition', () => {
  it('is over past the threshold, under only the hysteresis below it, and between in the band', () => {
    expect(levelOf(3.5, 3, 1)).toBe('over')
    expect(levelOf(3, 3, 1)).toBe('between')
    expect(levelOf(2.5, 3, 1)).toBe('between')
    expect(levelOf(2, 3, 1)).toBe('under')
  })

  it('turns on only after the value has been over for the hold time', () => {
    const pending = nextHeld(HELD_OFF, 'over', 0, hold)
    expect(pending).toEqual({ on: false, since: 0 })
    expect(nextHeld(pending, 'over', 59_999, hold)).toEqual({ on: false, since: 0 })
    expect(nextHeld(pending, 'over', 60_000, hold)).toEqual(HELD_ON)
  })

  it('a value that dips out of over restarts the hold', () => {
    const pending = nextHeld(HELD_OFF, 'over', 0, hold)
    const dipped = nextHeld(pending, 'between', 30_000, hold)
    expect(dipped).toEqual(HELD_OFF)
    expect(nextHeld(nextHeld(dipped, 'over', 40_000, hold), 'over', 70_000, hold)).toEqual({ on: false, since: 40_000 })
  })

  it('turns off only after the value has been under for the clear hold; the band keeps it on', () => {
    const clearing = nextHeld(HELD_ON, 'under', 0, hold)
    expect(clearing).toEqual({ on: true, since: 0 })
    expect(nextHeld(clearing, 'between', 100_000, hold)).toEqual(HELD_ON)
    expect(nextHeld(clearing, 'under', 119_999, hold)).toEqual({ on: true, since: 0 })
    expect(nextHeld(clearing, 'under', 120_000, hold)).toEqual(HELD_OFF)
  })

  it('with no hold time it changes at once', () => {
    expect(nextHeld(HELD_OFF, 'over', 5, { onMs: 0, offMs: 0 })).toEqual(HELD_ON)
    expect(nextHeld(HELD_ON, 'under', 5, { onMs: 0, offMs: 0 })).toEqual(HELD_OFF)
  })
})
