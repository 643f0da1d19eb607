import type { OpeningInterval } from '../config/ticketSchema.js'
import { StoreGuardError } from '../core/errors.js'
import type { BusinessCalendar } from './businessCalendar.js'
import { businessDayHoursProblems, calendarFromIntervals } from './calendarFromIntervals.js'
import { isStatutoryWorkday, shippedHolidayYears } from './chineseDaysData.js'
import type { HolidayOverrides } from './loadHolidayOverrides.js'
import { isValidTimeZone, localDateOf, weekdayOf, yearOf } from './localDates.js'
import { dailyOpeningMs, openIntervalsOn, openingHoursProblems } from './openingHours.js'

export interface CnWorkdaysCalendarOptions {
  /** IANA time zone of the store (`store.timeZone`). */
  timeZone: string
  /** The hours of a working day (`tickets.workdayHours`), e.g. 09:00–18:00. */
  workdayHours: readonly OpeningInterval[]
  /** Local corrections that win over the shipped data (`tickets.holidayOverrides`, loaded). */
  overrides?: HolidayOverrides
  /** Length of one business day, in hours (`tickets.businessDayHours`); default: the total of `workdayHours`. */
  businessDayHours?: number
  /**
   * Called once per year the first time the calendar consults a date in a year
   * without shipped holiday data, which it then treats as Monday–Friday. Wire it
   * to a loud warning: log, metric, staff notice (docs/requirements.md#business-calendars).
   */
  onUnknownYear?: (year: number) => void
}

/**
 * The `cn-workdays` calendar (docs/requirements.md#business-calendars): mainland China statutory working days,
 * statutory holidays off and adjusted working days (调休) on, from chinese-days;
 * overrides win; open during `workdayHours` on a working day. A year without
 * shipped data falls back to Monday–Friday, reports itself through
 * `onUnknownYear` and `yearsWithoutData`. Throws `config_invalid` listing every problem.
 */
export function createCnWorkdaysCalendar(options: CnWorkdaysCalendarOptions): BusinessCalendar {
  const { timeZone, workdayHours, overrides, businessDayHours, onUnknownYear } = options
  const knownYears = shippedHolidayYears
  const problems = [
    ...(isValidTimeZone(timeZone) ? [] : [`timeZone: "${timeZone}" is not an IANA time zone`]),
    ...openingHoursProblems(workdayHours, 'workdayHours'),
    ...businessDayHoursProblems(businessDayHours),
  ]
  if (problems.length === 0 && workdayHours.length === 0) problems.push('workdayHours: a working day has no hours')
  if (problems.length > 0) {
    throw new StoreGuardError('config_invalid', `cn-workdays calendar:\n  ${problems.join('\n  ')}`)
  }
  const holidays = new Set(overrides?.holidays)
  const workdays = new Set(overrides?.workdays)
  const reported = new Set<number>()

  const isWorkingDay = (date: string): boolean => {
    if (holidays.has(date)) return false
    if (workdays.has(date)) return true
    const year = yearOf(date)
    if (knownYears.has(year)) return isStatutoryWorkday(date)
    if (!reported.has(year)) {
      reported.add(year)
      onUnknownYear?.(year)
    }
    return weekdayOf(date) <= 5
  }

  return calendarFromIntervals({
    id: 'cn-workdays',
    timeZone,
    businessDayMs: businessDayHours === undefined ? dailyOpeningMs(workdayHours) : businessDayHours * 3_600_000,
    openIntervalsOf: (date) => (isWorkingDay(date) ? openIntervalsOn(date, workdayHours, timeZone) : []),
    yearsWithoutData: (fromMs, toMs) => {
      const first = yearOf(localDateOf(Math.min(fromMs, toMs), timeZone))
      const last = yearOf(localDateOf(Math.max(fromMs, toMs), timeZone))
      const years: number[] = []
      for (let year = first; year <= last; year++) if (!knownYears.has(year)) years.push(year)
      return years
    },
  })
}
