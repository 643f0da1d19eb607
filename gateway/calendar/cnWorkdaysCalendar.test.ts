import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { shippedHolidayYears } from './chineseDaysData.js'
import { createCnWorkdaysCalendar } from './cnWorkdaysCalendar.js'
import { addDays, weekdayOf } from './localDates.js'
import { fallbackWorkdays, LAST_SHIPPED_YEAR, lastShippedWorkday, UNKNOWN_YEAR } from './testing/holidayDataYears.js'

const zone = 'Asia/Shanghai'
const at = (local: string): number => DateTime.fromISO(local, { zone }).toMillis()
const show = (ms: number | null): string | null =>
  ms === null ? null : DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")
const HOUR = 3_600_000
const nineToSix = [{ open: '09:00', close: '18:00' }]
const cnWorkdays = () => createCnWorkdaysCalendar({ timeZone: zone, workdayHours: nineToSix })
const dueAt = (calendar: ReturnType<typeof cnWorkdays>, openedAt: string, businessDays = 2) =>
  show(calendar.addBusinessTime(at(openedAt), businessDays * calendar.businessDayMs))

describe('cn-workdays calendar', () => {
  it('worked example: opened Wed 2026-09-30 15:00, across the National Day holiday, is due Fri 2026-10-09 15:00', () => {
    expect(dueAt(cnWorkdays(), '2026-09-30T15:00')).toBe('2026-10-09T15:00')
  })

  it('worked example: opened Fri 2026-10-09 20:00, the clock starts Sat 10-10 09:00 (调休) and is due Mon 2026-10-12 18:00', () => {
    const calendar = cnWorkdays()
    expect(show(calendar.nextOpening(at('2026-10-09T20:00')))).toBe('2026-10-10T09:00')
    expect(dueAt(calendar, '2026-10-09T20:00')).toBe('2026-10-12T18:00')
  })

  it('has a business day as long as its working hours', () => {
    const calendar = cnWorkdays()
    expect(calendar.id).toBe('cn-workdays')
    expect(calendar.businessDayMs).toBe(9 * HOUR)
    const lunch = createCnWorkdaysCalendar({
      timeZone: zone,
      workdayHours: [
        { open: '09:00', close: '12:00' },
        { open: '13:30', close: '18:00' },
      ],
    })
    expect(lunch.businessDayMs).toBe(7.5 * HOUR)
  })

  it('runs the clock on an adjusted working Saturday for a ticket opened that day', () => {
    const calendar = cnWorkdays()
    expect(calendar.isOpen(at('2026-10-10T10:00'))).toBe(true)
    // 8 h on Sat 10-10, Sunday off, the last hour on Mon 10-12
    expect(dueAt(calendar, '2026-10-10T10:00', 1)).toBe('2026-10-12T10:00')
  })

  it('waits out a whole holiday block for a ticket opened the evening before it', () => {
    const calendar = cnWorkdays()
    for (const day of ['01', '02', '03', '04', '05', '06', '07']) {
      expect(calendar.isOpen(at(`2026-10-${day}T10:00`)), `2026-10-${day}`).toBe(false)
    }
    expect(show(calendar.nextOpening(at('2026-09-30T20:00')))).toBe('2026-10-08T09:00')
    expect(dueAt(calendar, '2026-09-30T20:00')).toBe('2026-10-09T18:00')
  })

  it('keeps an ordinary weekend off', () => {
    expect(cnWorkdays().isOpen(at('2026-10-11T10:00'))).toBe(false)
  })

  it('canary: the installed chinese-days ships holiday data for 2004 through 2026', () => {
    // The other tests derive "the first year without data" from the shipped data and need no change.
    expect(
      [Math.min(...shippedHolidayYears), Math.max(...shippedHolidayYears)],
      'chinese-days now covers other years: update the README and docs wherever they name the covered years, ' +
        'check that chineseDaysData.test.ts passes on the new data, then change the years here',
    ).toEqual([2004, 2026])
  })

  it('falls back to Monday–Friday in the first year without data, and reports the year once', () => {
    const unknown: number[] = []
    const calendar = createCnWorkdaysCalendar({
      timeZone: zone,
      workdayHours: nineToSix,
      onUnknownYear: (y) => unknown.push(y),
    })
    const lastWorkday = lastShippedWorkday()
    expect(calendar.isOpen(at(`${lastWorkday}T10:00`))).toBe(true)
    expect(unknown).toEqual([])
    // 1 January would be New Year's Day; without data only its weekday counts, like every day of that January
    for (let date = `${UNKNOWN_YEAR}-01-01`; date <= `${UNKNOWN_YEAR}-01-31`; date = addDays(date, 1)) {
      expect(calendar.isOpen(at(`${date}T10:00`)), date).toBe(weekdayOf(date) <= 5)
    }
    const [first, second, third] = fallbackWorkdays(UNKNOWN_YEAR, 3)
    // 3 h on the first, 9 h on the second, 6 h on the third working day
    expect(dueAt(calendar, `${first}T15:00`)).toBe(`${third}T15:00`)
    // 3 h on the last shipped working day, 9 h on the first fallback working day, 6 h on the second
    expect(dueAt(calendar, `${lastWorkday}T15:00`)).toBe(`${second}T15:00`)
    expect(unknown).toEqual([UNKNOWN_YEAR])
    expect(calendar.yearsWithoutData(at(`${lastWorkday}T15:00`), at(`${second}T15:00`))).toEqual([UNKNOWN_YEAR])
    expect(
      calendar.yearsWithoutData(at(`${LAST_SHIPPED_YEAR}-01-01T00:00`), at(`${LAST_SHIPPED_YEAR}-12-31T23:59`)),
    ).toEqual([])
  })

  it('judges the year of an instant in the store time zone', () => {
    // 31 December 17:00 UTC is already 1 January 01:00 in Shanghai
    const calendar = cnWorkdays()
    const lateNewYearsEve = Date.UTC(LAST_SHIPPED_YEAR, 11, 31, 17)
    const newYearsEveInShanghai = Date.UTC(LAST_SHIPPED_YEAR, 11, 31, 15)
    expect(calendar.yearsWithoutData(lateNewYearsEve, lateNewYearsEve)).toEqual([UNKNOWN_YEAR])
    expect(calendar.yearsWithoutData(newYearsEveInShanghai, newYearsEveInShanghai)).toEqual([])
  })

  it('lets overrides win over the shipped data', () => {
    const calendar = createCnWorkdaysCalendar({
      timeZone: zone,
      workdayHours: nineToSix,
      overrides: { holidays: ['2026-10-08'], workdays: ['2026-10-03'] },
    })
    expect(calendar.isOpen(at('2026-10-03T10:00'))).toBe(true)
    expect(calendar.isOpen(at('2026-10-08T10:00'))).toBe(false)
    // 3 h Wed, 9 h on the worked Sat 10-03, 6 h on Fri 10-09
    expect(dueAt(calendar, '2026-09-30T15:00')).toBe('2026-10-09T15:00')
    expect(dueAt(calendar, '2026-09-30T15:00', 1)).toBe('2026-10-03T15:00')
  })

  it('refuses working hours that make no working day', () => {
    const problems = (make: () => unknown): string => {
      try {
        make()
      } catch (err) {
        if (isStoreGuardError(err, 'config_invalid')) return err.message
      }
      return ''
    }
    expect(problems(() => createCnWorkdaysCalendar({ timeZone: zone, workdayHours: [] }))).toContain('no hours')
    expect(
      problems(() =>
        createCnWorkdaysCalendar({ timeZone: 'Mars/Olympus', workdayHours: [{ open: '18:00', close: '09:00' }] }),
      ),
    ).toMatch(/Mars\/Olympus[\s\S]*workdayHours\[0\]/)
  })
})
