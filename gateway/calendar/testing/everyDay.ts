import type { OpeningInterval } from '../../config/ticketSchema.js'
import type { WeekdayKey } from '../openingHours.js'

/** Test calendars: the same opening hours on every day of the week (as config or as a WeeklyHours). */
export function everyDay(hours: OpeningInterval[]): Record<WeekdayKey, OpeningInterval[]> {
  return { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours }
}
