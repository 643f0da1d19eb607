import type { OpeningInterval, SpecialDay } from '../config/ticketSchema.js'
import type { Interval } from './businessClock.js'
import { isIsoDate, localTimeToMs, weekdayOf } from './localDates.js'

/**
 * Opening hours as data (docs/requirements.md#business-calendars `store` calendar): weekly hours per weekday,
 * overridden on a date by a special day (a closure has no intervals). Pure.
 */

export type WeekdayKey = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
export type WeeklyHours = Readonly<Record<WeekdayKey, readonly OpeningInterval[]>>

/** Weekday keys in ISO order: index = ISO weekday − 1. */
export const WEEKDAY_KEYS: readonly WeekdayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/

/** Minutes after midnight of `HH:MM` (`24:00` → 1440), or NaN when malformed. */
export function minutesOf(hhmm: string): number {
  if (!HHMM.test(hhmm)) return Number.NaN
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
}

/**
 * Every problem with one day's intervals, each prefixed by `where` (e.g.
 * `businessHours.mon[1]`): malformed times, close not after open, intervals out
 * of order or overlapping. Touching intervals (12:00–13:00, 13:00–18:00) are fine.
 */
export function openingHoursProblems(intervals: readonly OpeningInterval[], where: string): string[] {
  const problems: string[] = []
  let previousClose = -1
  intervals.forEach((interval, i) => {
    const open = minutesOf(interval.open)
    const close = minutesOf(interval.close)
    const at = `${where}[${i}]`
    if (Number.isNaN(open) || open >= 1440) problems.push(`${at}.open: "${interval.open}" is not a time HH:MM`)
    if (Number.isNaN(close)) problems.push(`${at}.close: "${interval.close}" is not a time HH:MM (or 24:00)`)
    if (Number.isNaN(open) || Number.isNaN(close)) return
    if (close <= open) problems.push(`${at}: closes at ${interval.close}, not after it opens at ${interval.open}`)
    else if (open < previousClose)
      problems.push(`${at}: opens at ${interval.open}, before the previous interval closes`)
    previousClose = Math.max(previousClose, close)
  })
  return problems
}

/** Nominal open minutes of a day's intervals (wall clock, ignoring daylight-saving shifts), in ms. */
export function dailyOpeningMs(intervals: readonly OpeningInterval[]): number {
  return intervals.reduce((sum, i) => sum + (minutesOf(i.close) - minutesOf(i.open)) * 60_000, 0)
}

/** Every problem with the special days: a date that is not a real `YYYY-MM-DD` date, a date given twice, bad hours. */
export function specialDaysProblems(specialDays: readonly SpecialDay[], where: string): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  specialDays.forEach((day, i) => {
    if (!isIsoDate(day.date)) problems.push(`${where}[${i}].date: "${day.date}" is not a date YYYY-MM-DD`)
    else if (seen.has(day.date)) problems.push(`${where}[${i}].date: ${day.date} is listed twice`)
    seen.add(day.date)
    problems.push(...openingHoursProblems(day.hours, `${where}[${i}].hours`))
  })
  return problems
}

/** Special days keyed by date, for `hoursOn` (check `specialDaysProblems` first). */
export function specialDaysByDate(specialDays: readonly SpecialDay[]): ReadonlyMap<string, readonly OpeningInterval[]> {
  return new Map(specialDays.map((d) => [d.date, d.hours]))
}

/** The opening intervals of a local date: its special day's if it has one, else its weekday's. */
export function hoursOn(
  dateISO: string,
  weekly: WeeklyHours,
  special: ReadonlyMap<string, readonly OpeningInterval[]>,
): readonly OpeningInterval[] {
  const key = WEEKDAY_KEYS[weekdayOf(dateISO) - 1] as WeekdayKey
  return special.get(dateISO) ?? weekly[key]
}

/**
 * A date's intervals as epoch-ms `[start, end)` pairs in `zone`, in order, with
 * touching intervals merged and any emptied by a daylight-saving gap dropped.
 */
export function openIntervalsOn(dateISO: string, hours: readonly OpeningInterval[], zone: string): Interval[] {
  const out: [number, number][] = []
  for (const { open, close } of hours) {
    const start = localTimeToMs(dateISO, minutesOf(open), zone)
    const end = localTimeToMs(dateISO, minutesOf(close), zone)
    if (end <= start) continue
    const last = out[out.length - 1]
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end)
    else out.push([start, end])
  }
  return out
}
