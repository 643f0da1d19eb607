import { StoreGuardError } from '../core/errors.js'
import { addDays, localDateOf } from './localDates.js'

/**
 * The business-hours clock (docs/requirements.md#business-calendars): it runs only while the calendar is open
 * and waits through closed time. Pure functions over `openIntervalsOf`, which
 * gives a local date's open `[start, end)` intervals in epoch ms, in order,
 * non-overlapping and within that date (a `24:00` close ends at the next
 * midnight). Walks day by day in the store's zone, so the host `TZ` never matters.
 */

/** An open interval `[startMs, endMs)`. */
export type Interval = readonly [startMs: number, endMs: number]

/** A calendar's open intervals on a local date `YYYY-MM-DD`. */
export type OpenIntervalsOf = (localDateISO: string) => readonly Interval[]

/** How far the clock looks for an opening before it gives up: a year and a bit, in days. */
export const SEARCH_HORIZON_DAYS = 400

function checkInstant(name: string, ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a finite number of ms, got ${ms}`)
}

function neverOpens(zone: string, fromDate: string): StoreGuardError {
  return new StoreGuardError(
    'config_invalid',
    `the business calendar (${zone}) has no opening in the ${SEARCH_HORIZON_DAYS} days from ${fromDate}: check its opening hours`,
  )
}

/**
 * The instant at which `durationMs` of open time has passed since `startMs`.
 * Closed at `startMs` (after hours, exactly at closing, on a holiday) → the clock
 * starts at the next opening. A duration that ends exactly at a closing returns
 * that closing, not the next opening. Throws `config_invalid` after
 * `SEARCH_HORIZON_DAYS` consecutive days without open time.
 */
export function addBusinessTime(
  openIntervalsOf: OpenIntervalsOf,
  zone: string,
  startMs: number,
  durationMs: number,
): number {
  checkInstant('startMs', startMs)
  if (!(Number.isFinite(durationMs) && durationMs >= 0))
    throw new RangeError(`durationMs must be ≥ 0, got ${durationMs}`)
  let remaining = durationMs
  let date = localDateOf(startMs, zone)
  let closedDays = 0
  for (;;) {
    let openToday = false
    for (const [start, end] of openIntervalsOf(date)) {
      if (end <= startMs) continue
      openToday = true
      const from = Math.max(start, startMs)
      if (remaining <= end - from) return from + remaining
      remaining -= end - from
    }
    closedDays = openToday ? 0 : closedDays + 1
    if (closedDays >= SEARCH_HORIZON_DAYS) throw neverOpens(zone, localDateOf(startMs, zone))
    date = addDays(date, 1)
  }
}

/** Open time between `fromMs` and `toMs`, in ms (0 when `toMs` ≤ `fromMs`). */
export function businessTimeBetween(
  openIntervalsOf: OpenIntervalsOf,
  zone: string,
  fromMs: number,
  toMs: number,
): number {
  checkInstant('fromMs', fromMs)
  checkInstant('toMs', toMs)
  if (toMs <= fromMs) return 0
  const lastDate = localDateOf(toMs, zone)
  let total = 0
  for (let date = localDateOf(fromMs, zone); date <= lastDate; date = addDays(date, 1)) {
    for (const [start, end] of openIntervalsOf(date)) {
      const overlap = Math.min(end, toMs) - Math.max(start, fromMs)
      if (overlap > 0) total += overlap
    }
  }
  return total
}

/**
 * The next opening strictly after `afterMs`: the start of an open interval that
 * does not merely continue one ending at the same instant (open round the clock
 * across midnight is one opening). Null if none within `SEARCH_HORIZON_DAYS`.
 */
export function nextOpening(openIntervalsOf: OpenIntervalsOf, zone: string, afterMs: number): number | null {
  checkInstant('afterMs', afterMs)
  let date = addDays(localDateOf(afterMs, zone), -1)
  let previousEnd = Number.NaN
  for (let day = 0; day <= SEARCH_HORIZON_DAYS; day++, date = addDays(date, 1)) {
    for (const [start, end] of openIntervalsOf(date)) {
      if (start > afterMs && start !== previousEnd) return start
      previousEnd = end
    }
  }
  return null
}

/** Whether the calendar is open at `atMs` (intervals are half-open: open at opening, closed at closing). */
export function isOpenAt(openIntervalsOf: OpenIntervalsOf, zone: string, atMs: number): boolean {
  checkInstant('atMs', atMs)
  return openIntervalsOf(localDateOf(atMs, zone)).some(([start, end]) => start <= atMs && atMs < end)
}
