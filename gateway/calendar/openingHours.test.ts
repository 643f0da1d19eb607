import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import { hoursOn, minutesOf, openIntervalsOn, openingHoursProblems, specialDaysByDate } from './openingHours.js'

const zone = 'Asia/Shanghai'
const show = (ms: number): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")
const weekdays = [{ open: '09:00', close: '18:00' }]
const weekly = { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] }

describe('opening hours', () => {
  it('reads HH:MM as minutes after midnight, 24:00 as the end of the day', () => {
    expect(minutesOf('00:00')).toBe(0)
    expect(minutesOf('13:30')).toBe(810)
    expect(minutesOf('24:00')).toBe(1440)
    expect(minutesOf('24:30')).toBeNaN()
    expect(minutesOf('9:00')).toBeNaN()
  })

  it("gives a date its weekday's hours unless a special day overrides them", () => {
    const special = specialDaysByDate([{ date: '2026-10-01', hours: [] }])
    expect(hoursOn('2026-09-30', weekly, special)).toBe(weekdays)
    expect(hoursOn('2026-10-01', weekly, special)).toEqual([])
    expect(hoursOn('2026-10-03', weekly, special)).toEqual([])
  })

  it('turns a day into instants in the store time zone, 24:00 being the next midnight', () => {
    const hours = [
      { open: '09:00', close: '12:00' },
      { open: '18:00', close: '24:00' },
    ]
    const intervals = openIntervalsOn('2026-10-09', hours, zone).map(([s, e]) => [show(s), show(e)])
    expect(intervals).toEqual([
      ['2026-10-09T09:00', '2026-10-09T12:00'],
      ['2026-10-09T18:00', '2026-10-10T00:00'],
    ])
  })

  it('merges intervals that touch', () => {
    const hours = [
      { open: '09:00', close: '12:00' },
      { open: '12:00', close: '18:00' },
    ]
    expect(openIntervalsOn('2026-10-09', hours, zone)).toHaveLength(1)
    expect(openingHoursProblems(hours, 'mon')).toEqual([])
  })

  it('finds intervals out of order, overlapping, reversed or malformed', () => {
    expect(
      openingHoursProblems(
        [
          { open: '13:00', close: '18:00' },
          { open: '09:00', close: '12:00' },
          { open: '19:00', close: '19:00' },
          { open: '24:00', close: '7pm' },
        ],
        'mon',
      ),
    ).toEqual([
      'mon[1]: opens at 09:00, before the previous interval closes',
      'mon[2]: closes at 19:00, not after it opens at 19:00',
      'mon[3].open: "24:00" is not a time HH:MM',
      'mon[3].close: "7pm" is not a time HH:MM (or 24:00)',
    ])
  })
})
