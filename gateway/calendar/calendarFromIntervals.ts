import type { BusinessCalendar } from './businessCalendar.js'
import { addBusinessTime, businessTimeBetween, isOpenAt, nextOpening, type OpenIntervalsOf } from './businessClock.js'

export interface CalendarParts {
  id: BusinessCalendar['id']
  timeZone: string
  /** One business day, in ms (> 0). */
  businessDayMs: number
  openIntervalsOf: OpenIntervalsOf
  yearsWithoutData?: (fromMs: number, toMs: number) => number[]
}

/** A `BusinessCalendar` whose clock methods are the pure business-clock functions over `openIntervalsOf`. */
export function calendarFromIntervals(parts: CalendarParts): BusinessCalendar {
  const { id, timeZone: zone, businessDayMs, openIntervalsOf } = parts
  return {
    id,
    timeZone: zone,
    businessDayMs,
    addBusinessTime: (startMs, durationMs) => addBusinessTime(openIntervalsOf, zone, startMs, durationMs),
    businessTimeBetween: (fromMs, toMs) => businessTimeBetween(openIntervalsOf, zone, fromMs, toMs),
    nextOpening: (afterMs) => nextOpening(openIntervalsOf, zone, afterMs),
    isOpen: (atMs) => isOpenAt(openIntervalsOf, zone, atMs),
    yearsWithoutData: parts.yearsWithoutData ?? (() => []),
  }
}

/** Problems with a configured business-day length (`tickets.businessDayHours`): more than 0, at most 24 hours. */
export function businessDayHoursProblems(hours: number | undefined): string[] {
  if (hours === undefined || (Number.isFinite(hours) && hours > 0 && hours <= 24)) return []
  return [`businessDayHours: ${hours} is not a length of day in hours (more than 0, at most 24)`]
}
