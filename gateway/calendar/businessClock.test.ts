import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import {
  addBusinessTime,
  businessTimeBetween,
  isOpenAt,
  nextOpening,
  type OpenIntervalsOf,
  SEARCH_HORIZON_DAYS,
} from './businessClock.js'
import { weekdayOf } from './localDates.js'
import { openIntervalsOn } from './openingHours.js'

const zone = 'Asia/Shanghai'
const at = (local: string): number => DateTime.fromISO(local, { zone }).toMillis()
const show = (ms: number | null): string | null =>
  ms === null ? null : DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")
const HOUR = 3_600_000

// Mon–Fri 09:00–12:00 and 13:30–18:00 (7.5 h), closed at weekends.
const lunchBreak: OpenIntervalsOf = (date) =>
  weekdayOf(date) <= 5
    ? openIntervalsOn(
        date,
        [
          { open: '09:00', close: '12:00' },
          { open: '13:30', close: '18:00' },
        ],
        zone,
      )
    : []
const add = (start: string, hours: number) => show(addBusinessTime(lunchBreak, zone, at(start), hours * HOUR))

describe('business-hours clock', () => {
  it('counts a lunch-break day as 7.5 hours of business time', () => {
    expect(businessTimeBetween(lunchBreak, zone, at('2026-06-01T00:00'), at('2026-06-02T00:00'))).toBe(7.5 * HOUR)
  })

  it('stops for lunch and resumes at 13:30', () => {
    expect(add('2026-06-01T11:00', 2)).toBe('2026-06-01T14:30')
  })

  it('starts the clock at 13:30 for a ticket opened during the lunch break', () => {
    expect(add('2026-06-01T12:30', 1)).toBe('2026-06-01T14:30')
  })

  it('starts the clock at once for a ticket opened exactly at opening', () => {
    expect(add('2026-06-01T09:00', 1)).toBe('2026-06-01T10:00')
  })

  it('waits for the next opening for a ticket opened exactly at closing', () => {
    expect(add('2026-06-01T18:00', 1)).toBe('2026-06-02T10:00')
  })

  it('waits for Monday for a ticket opened on Friday evening', () => {
    expect(add('2026-06-05T20:00', 7.5)).toBe('2026-06-08T18:00')
  })

  it('is due at closing, not at the next opening, when the time runs out exactly at closing', () => {
    expect(add('2026-06-01T09:00', 7.5)).toBe('2026-06-01T18:00')
    expect(add('2026-06-01T09:00', 3)).toBe('2026-06-01T12:00')
  })

  it('turns zero business time after hours into the next opening', () => {
    expect(add('2026-06-01T22:00', 0)).toBe('2026-06-02T09:00')
    expect(add('2026-06-01T10:15', 0)).toBe('2026-06-01T10:15')
  })

  it('measures business time that round-trips with adding it', () => {
    const starts = ['2026-06-01T08:00', '2026-06-01T09:00', '2026-06-01T12:10', '2026-06-03T17:59', '2026-06-06T11:00']
    for (const start of starts) {
      for (const minutes of [1, 30, 180, 450, 451, 900, 2000, 5000]) {
        const due = addBusinessTime(lunchBreak, zone, at(start), minutes * 60_000)
        expect(businessTimeBetween(lunchBreak, zone, at(start), due), `${start} + ${minutes} min`).toBe(
          minutes * 60_000,
        )
      }
    }
  })

  it('measures no business time within a closed stretch or backwards', () => {
    expect(businessTimeBetween(lunchBreak, zone, at('2026-06-05T18:00'), at('2026-06-08T09:00'))).toBe(0)
    expect(businessTimeBetween(lunchBreak, zone, at('2026-06-02T10:00'), at('2026-06-01T10:00'))).toBe(0)
  })

  it('finds the next opening strictly after an instant', () => {
    expect(show(nextOpening(lunchBreak, zone, at('2026-06-01T07:00')))).toBe('2026-06-01T09:00')
    expect(show(nextOpening(lunchBreak, zone, at('2026-06-01T09:00')))).toBe('2026-06-01T13:30')
    expect(show(nextOpening(lunchBreak, zone, at('2026-06-01T12:00')))).toBe('2026-06-01T13:30')
    expect(show(nextOpening(lunchBreak, zone, at('2026-06-05T14:00')))).toBe('2026-06-08T09:00')
  })

  it('treats a calendar open round the clock as one opening, not one each midnight', () => {
    const always: OpenIntervalsOf = (date) => openIntervalsOn(date, [{ open: '00:00', close: '24:00' }], zone)
    expect(nextOpening(always, zone, at('2026-06-01T10:00'))).toBeNull()
    expect(show(addBusinessTime(always, zone, at('2026-06-01T10:00'), 48 * HOUR))).toBe('2026-06-03T10:00')
  })

  it('is open from opening up to, not including, closing', () => {
    expect(isOpenAt(lunchBreak, zone, at('2026-06-01T09:00'))).toBe(true)
    expect(isOpenAt(lunchBreak, zone, at('2026-06-01T11:59'))).toBe(true)
    expect(isOpenAt(lunchBreak, zone, at('2026-06-01T12:00'))).toBe(false)
    expect(isOpenAt(lunchBreak, zone, at('2026-06-06T10:00'))).toBe(false)
  })

  it('gives a clear error instead of walking forever when the calendar never opens', () => {
    const never: OpenIntervalsOf = () => []
    let thrown: unknown
    try {
      addBusinessTime(never, zone, at('2026-06-01T10:00'), HOUR)
    } catch (err) {
      thrown = err
    }
    expect(isStoreGuardError(thrown, 'config_invalid')).toBe(true)
    expect(String(thrown)).toContain(`${SEARCH_HORIZON_DAYS} days`)
    expect(nextOpening(never, zone, at('2026-06-01T10:00'))).toBeNull()
  })

  it('keeps counting through a long closure shorter than its search horizon', () => {
    // closed 2026-06-01 .. 2027-06-01 (365 days), then Mon–Fri again
    const yearOff: OpenIntervalsOf = (date) => (date < '2027-06-01' ? [] : lunchBreak(date))
    expect(show(addBusinessTime(yearOff, zone, at('2026-06-01T10:00'), HOUR))).toBe('2027-06-01T10:00')
  })

  it('refuses a negative or non-finite duration', () => {
    expect(() => addBusinessTime(lunchBreak, zone, at('2026-06-01T10:00'), -1)).toThrow(RangeError)
    expect(() => addBusinessTime(lunchBreak, zone, Number.NaN, 1)).toThrow(RangeError)
  })
})
