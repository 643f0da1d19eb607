import { DateTime, Info } from 'luxon'

/**
 * Local dates and times in an IANA time zone, computed with luxon so the
 * host's `TZ` never matters (docs/requirements.md#business-calendars: "all in the store's time zone, whatever
 * the host's"). A local date is a `YYYY-MM-DD` string; dates compare as strings.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `zone` is an IANA time zone luxon knows (e.g. `Asia/Shanghai`). */
export function isValidTimeZone(zone: string): boolean {
  return Info.isValidIANAZone(zone)
}

/** Whether `s` is a real calendar date written `YYYY-MM-DD` (so `2026-02-30` is not). */
export function isIsoDate(s: string): boolean {
  return ISO_DATE.test(s) && DateTime.fromISO(s, { zone: 'utc' }).isValid
}

/**
 * The last local day asked for, per zone, as `[startMs, endMs)`. The gateway's tick asks for the
 * same day every second (business clocks, ticket timelines); a luxon DateTime each time was most of
 * the gateway's garbage at idle, and with it V8 never saw the gateway idle and never gave back its
 * start-up memory (docs/performance.md#idle-memory).
 */
const lastDay = new Map<string, { readonly date: string; readonly startMs: number; readonly endMs: number }>()

/** The local date (`YYYY-MM-DD`) of the instant `ms` in `zone`. */
export function localDateOf(ms: number, zone: string): string {
  const last = lastDay.get(zone)
  if (last !== undefined && last.startMs <= ms && ms < last.endMs) return last.date
  const dt = DateTime.fromMillis(ms, { zone })
  const date = dt.toISODate()
  if (date === null) throw new RangeError(`no local date for ${ms} in time zone "${zone}"`)
  const start = dt.startOf('day')
  if (lastDay.size >= 16) lastDay.clear()
  lastDay.set(zone, { date, startMs: start.toMillis(), endMs: start.plus({ days: 1 }).toMillis() })
  return date
}

/** `addDays` answers remembered, for the same reason as `lastDay`: the tick walks the same few days. */
const movedDates = new Map<string, string>()

/** `dateISO` moved by `days` calendar days (pure date arithmetic, no zone involved). */
export function addDays(dateISO: string, days: number): string {
  const key = `${dateISO}|${days}`
  const known = movedDates.get(key)
  if (known !== undefined) return known
  const date = DateTime.fromISO(dateISO, { zone: 'utc' }).plus({ days }).toISODate()
  if (date === null) throw new RangeError(`not a date: "${dateISO}"`)
  if (movedDates.size >= 256) movedDates.clear()
  movedDates.set(key, date)
  return date
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(dateISO: string): number {
  const weekday = DateTime.fromISO(dateISO, { zone: 'utc' }).weekday
  if (Number.isNaN(weekday)) throw new RangeError(`not a date: "${dateISO}"`)
  return weekday
}

/** The year of a `YYYY-MM-DD` date. */
export function yearOf(dateISO: string): number {
  return Number(dateISO.slice(0, 4))
}

/**
 * The instant of local wall-clock time `minutes` after midnight on `dateISO` in
 * `zone`; 1440 (`24:00`) is the next day's midnight. Wall-clock fields, not
 * elapsed time, so 09:00 stays 09:00 on a daylight-saving day.
 */
export function localTimeToMs(dateISO: string, minutes: number, zone: string): number {
  const day = minutes >= 1440 ? addDays(dateISO, 1) : dateISO
  const m = minutes >= 1440 ? minutes - 1440 : minutes
  const [, y, mo, d] = ISO_DATE.exec(day) ?? []
  const dt = DateTime.fromObject(
    { year: Number(y), month: Number(mo), day: Number(d), hour: Math.floor(m / 60), minute: m % 60 },
    { zone },
  )
  if (!dt.isValid) throw new RangeError(`no instant for ${dateISO} +${minutes} min in time zone "${zone}"`)
  return dt.toMillis()
}
