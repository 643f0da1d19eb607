/**
 * A threshold condition with hysteresis and hold times (docs/requirements.md#queue): it turns on
 * once the value has been over the threshold for `onMs`, and off once it has been back at or below
 * `threshold − hysteresis` for `offMs`. In between, it keeps its state and a pending change starts
 * over, so a value hovering at the threshold never flaps.
 */
export interface HeldCondition {
  readonly on: boolean
  /** Since when (ms) the value has been on the other side, toward a change of state; null when nothing is pending. */
  readonly since: number | null
}

export const HELD_OFF: HeldCondition = { on: false, since: null }
export const HELD_ON: HeldCondition = { on: true, since: null }

/** Where a value stands: past the threshold, back under it by the hysteresis, or in the band between. */
export type Level = 'over' | 'between' | 'under'

export interface HoldTimes {
  readonly onMs: number
  readonly offMs: number
}

/** `value` > `threshold` is over; ≤ `threshold − hysteresis` is under. */
export function levelOf(value: number, threshold: number, hysteresis: number): Level {
  if (value > threshold) return 'over'
  return value <= threshold - hysteresis ? 'under' : 'between'
}

/** The condition after seeing `level` at `now` (ms). */
export function nextHeld(state: HeldCondition, level: Level, now: number, hold: HoldTimes): HeldCondition {
  const toward = state.on ? 'under' : 'over'
  if (level !== toward) return state.on ? HELD_ON : HELD_OFF
  const since = state.since ?? now
  const held = now - since >= (state.on ? hold.offMs : hold.onMs)
  if (held) return state.on ? HELD_OFF : HELD_ON
  return { on: state.on, since }
}
