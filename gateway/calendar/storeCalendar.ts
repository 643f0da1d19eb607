import type { SpecialDay } from '../config/ticketSchema.js'
import { StoreGuardError } from '../core/errors.js'
import type { BusinessCalendar } from './businessCalendar.js'
import type { Interval, OpenIntervalsOf } from './businessClock.js'
import { businessDayHoursProblems, calendarFromIntervals } from './calendarFromIntervals.js'
import { isValidTimeZone } from './localDates.js'
import {
  dailyOpeningMs,
  hoursOn,
  openIntervalsOn,
  openingHoursProblems,
  specialDaysByDate,
  specialDaysProblems,
  WEEKDAY_KEYS,
  type WeeklyHours,
} from './openingHours.js'

export interface StoreCalendarOptions {
  /** IANA time zone of the store (`store.timeZone`). */
  timeZone: string
  /** Opening hours per weekday (`store.businessHours`); several intervals a day allow a lunch break. */
  weekly: WeeklyHours
  /** Closures (no hours) and days with other hours (`store.specialDays`); default none. */
  specialDays?: readonly SpecialDay[]
  /** Length of one business day, in hours; default: the most common daily opening length of the week. */
  businessDayHours?: number
}

/**
 * The `store` calendar (docs/requirements.md#business-calendars, the default: 营业日 are the store's business
 * days): open during the store's own hours, with its closures and special days.
 * Throws `config_invalid` listing every problem with the hours.
 */
export function createStoreCalendar(options: StoreCalendarOptions): BusinessCalendar {
  const { timeZone, weekly, specialDays = [], businessDayHours } = options
  const problems = [
    ...(isValidTimeZone(timeZone) ? [] : [`timeZone: "${timeZone}" is not an IANA time zone`]),
    ...WEEKDAY_KEYS.flatMap((key) => openingHoursProblems(weekly[key], `businessHours.${key}`)),
    ...specialDaysProblems(specialDays, 'specialDays'),
    ...businessDayHoursProblems(businessDayHours),
  ]
  const weeklyDayMs = typicalBusinessDayMs(weekly)
  if (problems.length === 0 && weeklyDayMs === 0) problems.push('businessHours: the store is never open in a week')
  if (problems.length > 0) {
    throw new StoreGuardError('config_invalid', `store calendar:\n  ${problems.join('\n  ')}`)
  }
  const special = specialDaysByDate(specialDays)
  return calendarFromIntervals({
    id: 'store',
    timeZone,
    businessDayMs: businessDayHours === undefined ? weeklyDayMs : businessDayHours * 3_600_000,
    openIntervalsOf: memoByDate((date) => openIntervalsOn(date, hoursOn(date, weekly, special), timeZone)),
  })
}

/** Dates remembered by `memoByDate`: today, tomorrow and the few days a report or a due time looks at. */
const MEMO_DATES = 16

/**
 * `openIntervalsOf` remembered per date. The store's hours are fixed for the calendar's life (a
 * reload makes a new calendar), and the tick asks for the same day every second (the queue rule,
 * the pre-opening report): computed with luxon each time, that was ~1 MB/s of garbage at idle,
 * enough that V8 never saw the gateway idle and never gave back its start-up memory
 * (docs/performance.md#idle-memory).
 */
function memoByDate(openIntervalsOf: OpenIntervalsOf): OpenIntervalsOf {
  const known = new Map<string, readonly Interval[]>()
  return (date) => {
    let intervals = known.get(date)
    if (intervals === undefined) {
      if (known.size >= MEMO_DATES) known.clear()
      intervals = openIntervalsOf(date)
      known.set(date, intervals)
    }
    return intervals
  }
}

/**
 * The most common total daily opening length among the weekdays the store
 * opens (ties → the longest), in ms; 0 if it never opens. A store open every
 * day 09:00–21:00 has a 12 h business day; Mon–Fri 9 h + Sat 5 h gives 9 h.
 */
export function typicalBusinessDayMs(weekly: WeeklyHours): number {
  const counts = new Map<number, number>()
  for (const key of WEEKDAY_KEYS) {
    const ms = dailyOpeningMs(weekly[key])
    if (ms > 0) counts.set(ms, (counts.get(ms) ?? 0) + 1)
  }
  let best = 0
  let bestCount = 0
  for (const [ms, count] of counts) {
    if (count > bestCount || (count === bestCount && ms > best)) [best, bestCount] = [ms, count]
  }
  return best
}
