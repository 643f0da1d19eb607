import { isStatutoryWorkday, shippedHolidayYears } from '../chineseDaysData.js'
import { addDays, weekdayOf } from '../localDates.js'

/**
 * The years the installed chinese-days covers, for tests that mean "the last
 * year with holiday data" and "the first year without". Derived from the
 * shipped data, so those tests keep their meaning when the package is
 * upgraded; only the canary in cnWorkdaysCalendar.test.ts names the years.
 * Plain date strings, no `Date`: the same answers whatever the host's `TZ`
 * (the host-time-zone test hands the fixture its date).
 */
export const LAST_SHIPPED_YEAR: number = Math.max(...shippedHolidayYears)
export const UNKNOWN_YEAR: number = LAST_SHIPPED_YEAR + 1

/** The last statutory working day (`YYYY-MM-DD`) of the last shipped year. */
export function lastShippedWorkday(): string {
  let date = `${LAST_SHIPPED_YEAR}-12-31`
  while (!isStatutoryWorkday(date)) date = addDays(date, -1)
  return date
}

/** The first `count` Monday–Friday dates of `year`: the fallback's working days in a year without data. */
export function fallbackWorkdays(year: number, count: number): string[] {
  const days: string[] = []
  for (let date = `${year}-01-01`; days.length < count; date = addDays(date, 1)) {
    if (weekdayOf(date) <= 5) days.push(date)
  }
  return days
}
