import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../core/errors.js'
import { createStoreCalendar, typicalBusinessDayMs } from './storeCalendar.js'
import { everyDay } from './testing/everyDay.js'

const zone = 'Asia/Shanghai'
const at = (local: string, z = zone): number => DateTime.fromISO(local, { zone: z }).toMillis()
const show = (ms: number | null, z = zone): string | null =>
  ms === null ? null : DateTime.fromMillis(ms, { zone: z }).toFormat("yyyy-MM-dd'T'HH:mm")
const HOUR = 3_600_000
const nineToNine = everyDay([{ open: '09:00', close: '21:00' }])

function configError(make: () => unknown): string {
  try {
    make()
  } catch (err) {
    if (isStoreGuardError(err, 'config_invalid')) return err.message
    throw err
  }
  throw new Error('expected a config_invalid error')
}

describe('store calendar', () => {
  it('worked example: a store open every day 09:00–21:00 with a ticket opened Wed 2026-09-30 15:00 is due 2026-10-02 15:00', () => {
    const calendar = createStoreCalendar({ timeZone: zone, weekly: nineToNine })
    const openedAt = at('2026-09-30T15:00')
    expect(show(calendar.addBusinessTime(openedAt, 2 * calendar.businessDayMs))).toBe('2026-10-02T15:00')
  })

  it('gives a store open every day 09:00–21:00 a 12-hour business day', () => {
    const calendar = createStoreCalendar({ timeZone: zone, weekly: nineToNine })
    expect(calendar.id).toBe('store')
    expect(calendar.timeZone).toBe(zone)
    expect(calendar.businessDayMs).toBe(12 * HOUR)
  })

  it('takes the most common daily opening as the business day, ties going to the longest', () => {
    const weekdays = [{ open: '09:00', close: '18:00' }]
    const saturday = [{ open: '10:00', close: '15:00' }]
    expect(typicalBusinessDayMs({ ...everyDay(weekdays), sat: saturday, sun: [] })).toBe(9 * HOUR)
    const long = [{ open: '08:00', close: '20:00' }]
    const tie = { mon: weekdays, tue: weekdays, wed: weekdays, thu: long, fri: long, sat: long, sun: [] }
    expect(typicalBusinessDayMs(tie)).toBe(12 * HOUR)
    // a store open only at weekends: closed days do not count as "the most common length"
    expect(typicalBusinessDayMs({ ...everyDay([]), sat: long, sun: long })).toBe(12 * HOUR)
  })

  it('uses businessDayHours when it is set', () => {
    const calendar = createStoreCalendar({ timeZone: zone, weekly: nineToNine, businessDayHours: 8 })
    expect(calendar.businessDayMs).toBe(8 * HOUR)
    expect(show(calendar.addBusinessTime(at('2026-09-30T15:00'), 2 * calendar.businessDayMs))).toBe('2026-10-01T19:00')
  })

  it('stops the clock for the whole of a closure day', () => {
    const calendar = createStoreCalendar({
      timeZone: zone,
      weekly: nineToNine,
      specialDays: [{ date: '2026-10-01', hours: [], reason: 'stocktaking' }],
    })
    expect(calendar.isOpen(at('2026-10-01T12:00'))).toBe(false)
    expect(show(calendar.addBusinessTime(at('2026-09-30T15:00'), 24 * HOUR))).toBe('2026-10-03T15:00')
    expect(show(calendar.nextOpening(at('2026-09-30T21:00')))).toBe('2026-10-02T09:00')
  })

  it('counts only the special hours on a special-hours day', () => {
    const calendar = createStoreCalendar({
      timeZone: zone,
      weekly: nineToNine,
      specialDays: [{ date: '2026-10-01', hours: [{ open: '12:00', close: '17:00' }], reason: 'National Day' }],
    })
    expect(calendar.businessTimeBetween(at('2026-10-01T00:00'), at('2026-10-02T00:00'))).toBe(5 * HOUR)
    expect(calendar.isOpen(at('2026-10-01T10:00'))).toBe(false)
    expect(calendar.isOpen(at('2026-10-01T12:00'))).toBe(true)
    // 6 h on Wed 09-30, 5 h on the special day, 12 h on 10-02, the last hour on 10-03
    expect(show(calendar.addBusinessTime(at('2026-09-30T15:00'), 24 * HOUR))).toBe('2026-10-03T10:00')
  })

  it('runs a lunch-break store clock only in its opening intervals', () => {
    const lunch = [
      { open: '09:00', close: '12:00' },
      { open: '13:30', close: '18:00' },
    ]
    const calendar = createStoreCalendar({ timeZone: zone, weekly: { ...everyDay(lunch), sat: [], sun: [] } })
    expect(calendar.businessDayMs).toBe(7.5 * HOUR)
    // opened in the lunch break on Thursday: 4.5 h Thursday, 7.5 h Friday, 3 h Monday
    expect(show(calendar.addBusinessTime(at('2026-06-04T12:45'), 2 * calendar.businessDayMs))).toBe('2026-06-08T12:00')
  })

  it('keeps local opening hours across a daylight-saving change', () => {
    const berlin = 'Europe/Berlin'
    const calendar = createStoreCalendar({ timeZone: berlin, weekly: nineToNine })
    // Sunday 2026-03-29: clocks go forward at 02:00; the store still opens 09:00–21:00 local
    expect(calendar.businessTimeBetween(at('2026-03-29T00:00', berlin), at('2026-03-30T00:00', berlin))).toBe(12 * HOUR)
    expect(show(calendar.addBusinessTime(at('2026-03-28T15:00', berlin), 24 * HOUR), berlin)).toBe('2026-03-30T15:00')
  })

  it('has no years without data', () => {
    const calendar = createStoreCalendar({ timeZone: zone, weekly: nineToNine })
    expect(calendar.yearsWithoutData(at('2026-01-01T00:00'), at('2030-01-01T00:00'))).toEqual([])
  })

  it('refuses bad hours, listing every problem', () => {
    const message = configError(() =>
      createStoreCalendar({
        timeZone: 'Asia/Beijing',
        weekly: {
          ...nineToNine,
          mon: [
            { open: '09:00', close: '13:00' },
            { open: '12:00', close: '18:00' },
          ],
          tue: [{ open: '18:00', close: '09:00' }],
        },
        specialDays: [
          { date: '2026-10-01', hours: [] },
          { date: '2026-10-01', hours: [] },
          { date: '2026-02-30', hours: [] },
        ],
        businessDayHours: 25,
      }),
    )
    expect(message).toContain('timeZone: "Asia/Beijing" is not an IANA time zone')
    expect(message).toContain('businessHours.mon[1]: opens at 12:00, before the previous interval closes')
    expect(message).toContain('businessHours.tue[0]: closes at 09:00, not after it opens at 18:00')
    expect(message).toContain('specialDays[1].date: 2026-10-01 is listed twice')
    expect(message).toContain('specialDays[2].date: "2026-02-30" is not a date YYYY-MM-DD')
    expect(message).toContain('businessDayHours: 25')
  })

  it('refuses a store that is never open in a week', () => {
    expect(configError(() => createStoreCalendar({ timeZone: zone, weekly: everyDay([]) }))).toContain('never open')
  })
})
