import { createRequire } from 'node:module'
import { weekdayOf } from './localDates.js'

/**
 * Mainland China statutory working days (docs/requirements.md#business-calendars `cn-workdays`) from the data
 * the maintained chinese-days package ships (`dist/chinese-days.json`:
 * statutory holidays and adjusted working days, 调休, keyed `YYYY-MM-DD`).
 *
 * We read the data, not the package's functions (a known trap, docs/design.md#known-traps): they read
 * a `Date` in the host's zone; worse, under a host `TZ` west of UTC
 * (`America/New_York`) they are wrong even for `YYYY-MM-DD` strings: the
 * package parses a string as UTC midnight, reads it back with local getters
 * (the day before) and builds its own tables the same way, so 2116 of the days
 * 2004–2026 come out wrong (e.g. Mon 2026-10-12 is "not a working day"). A
 * lookup by date string and an ISO weekday computed without any `Date` is right
 * whatever the host's `TZ`, and matches the package's `isWorkday` run where it
 * is correct (see chineseDaysData.test.ts).
 */

const require = createRequire(import.meta.url)
const DATA_FILE = 'chinese-days/dist/chinese-days.json'
const ISO_DATE = /^(\d{4})-\d{2}-\d{2}$/

interface ShippedData {
  holidays: ReadonlyMap<string, string>
  workdays: ReadonlyMap<string, string>
  years: ReadonlySet<number>
}

const shipped: ShippedData = loadShippedData()

/**
 * Years the installed chinese-days has a published holiday arrangement for.
 * For any other year the package silently answers "Monday–Friday", so the
 * calendar must know which years these are.
 */
export const shippedHolidayYears: ReadonlySet<number> = shipped.years

/**
 * Whether `dateISO` is a working day by the shipped data: an adjusted working
 * day (调休), or a Monday–Friday that is not a statutory holiday. The same rule
 * as chinese-days' `isWorkday`.
 */
export function isStatutoryWorkday(dateISO: string): boolean {
  if (shipped.workdays.has(dateISO)) return true
  return weekdayOf(dateISO) <= 5 && !shipped.holidays.has(dateISO)
}

function loadShippedData(): ShippedData {
  const data: unknown = require(DATA_FILE)
  const holidays = dateTable(data, 'holidays')
  const workdays = dateTable(data, 'workdays')
  const years = new Set<number>()
  for (const date of [...holidays.keys(), ...workdays.keys()]) years.add(Number(date.slice(0, 4)))
  return { holidays, workdays, years }
}

function dateTable(data: unknown, key: 'holidays' | 'workdays'): Map<string, string> {
  const table = isRecord(data) ? data[key] : undefined
  if (!isRecord(table)) throw new Error(`${DATA_FILE} has no "${key}" table: the chinese-days data layout changed`)
  const entries = Object.entries(table).filter(([date]) => ISO_DATE.test(date))
  return new Map(entries.map(([date, name]) => [date, String(name)]))
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
