import { readFileSync } from 'node:fs'
import { StoreGuardError } from '../core/errors.js'
import { isIsoDate } from './localDates.js'

/** Local corrections to the statutory calendar; they win over the shipped data (docs/requirements.md#business-calendars `cn-workdays`). */
export interface HolidayOverrides {
  /** Dates `YYYY-MM-DD` that are days off, whatever the shipped data says. */
  holidays: readonly string[]
  /** Dates `YYYY-MM-DD` that are working days, whatever the shipped data says. */
  workdays: readonly string[]
}

/**
 * Reads a holiday-overrides file `{"holidays": [dates], "workdays": [dates]}`
 * (`tickets.holidayOverrides`; either list may be left out). Throws
 * `config_unreadable` when the file cannot be read or is not JSON, and
 * `config_invalid` listing every problem, both naming the file.
 */
export function loadHolidayOverrides(file: string): HolidayOverrides {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new StoreGuardError('config_unreadable', `holiday overrides ${file}: ${reason}`, { cause: err })
  }
  const problems: string[] = []
  const overrides = parseHolidayOverrides(data, problems)
  if (problems.length > 0) {
    throw new StoreGuardError('config_invalid', `holiday overrides ${file}:\n  ${problems.join('\n  ')}`)
  }
  return overrides
}

/** Checks parsed override data, pushing every problem (with its JSON path) onto `problems`. */
export function parseHolidayOverrides(data: unknown, problems: string[]): HolidayOverrides {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    problems.push('must be an object {"holidays": [dates], "workdays": [dates]}')
    return { holidays: [], workdays: [] }
  }
  const record = data as Record<string, unknown>
  for (const key of Object.keys(record)) {
    if (key !== 'holidays' && key !== 'workdays') problems.push(`${key}: is not a known setting (holidays, workdays)`)
  }
  const holidays = dateList(record.holidays, 'holidays', problems)
  const workdays = dateList(record.workdays, 'workdays', problems)
  const off = new Set(holidays)
  for (const date of workdays) {
    if (off.has(date)) problems.push(`${date} is listed both as a holiday and as a workday`)
  }
  return { holidays, workdays }
}

function dateList(value: unknown, key: string, problems: string[]): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    problems.push(`${key}: must be a list of dates YYYY-MM-DD`)
    return []
  }
  const dates: string[] = []
  value.forEach((item: unknown, i) => {
    if (typeof item === 'string' && isIsoDate(item)) dates.push(item)
    else problems.push(`${key}[${i}]: ${JSON.stringify(item)} is not a date YYYY-MM-DD`)
  })
  return dates
}
