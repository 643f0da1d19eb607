import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import type { TicketsConfig } from '../config/ticketSchema.js'
import { createCalendar } from './createCalendar.js'
import { UNKNOWN_YEAR } from './testing/holidayDataYears.js'

const zone = 'Asia/Shanghai'
const at = (local: string): number => DateTime.fromISO(local, { zone }).toMillis()
const show = (ms: number): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")
const nineToNine = [{ open: '09:00', close: '21:00' }]
const store = {
  timeZone: zone,
  businessHours: {
    mon: nineToNine,
    tue: nineToNine,
    wed: nineToNine,
    thu: nineToNine,
    fri: nineToNine,
    sat: nineToNine,
    sun: nineToNine,
  },
  specialDays: [],
}
const tickets = (overrides: Partial<TicketsConfig> = {}) => ({
  calendar: 'store' as const,
  workdayHours: [{ open: '09:00', close: '18:00' }],
  ...overrides,
})
const dueAt = (calendar: ReturnType<typeof createCalendar>, openedAt: string) =>
  show(calendar.addBusinessTime(at(openedAt), 2 * calendar.businessDayMs))

describe('createCalendar', () => {
  it("chooses the store's opening hours by default", () => {
    const calendar = createCalendar(store, tickets())
    expect(calendar.id).toBe('store')
    expect(dueAt(calendar, '2026-09-30T15:00')).toBe('2026-10-02T15:00')
  })

  it('chooses mainland China working days for cn-workdays', () => {
    const calendar = createCalendar(store, tickets({ calendar: 'cn-workdays' }))
    expect(calendar.id).toBe('cn-workdays')
    expect(dueAt(calendar, '2026-09-30T15:00')).toBe('2026-10-09T15:00')
  })

  it('passes businessDayHours to either calendar', () => {
    expect(createCalendar(store, tickets({ businessDayHours: 8 })).businessDayMs).toBe(8 * 3_600_000)
    expect(createCalendar(store, tickets({ calendar: 'cn-workdays', businessDayHours: 8 })).businessDayMs).toBe(
      8 * 3_600_000,
    )
  })

  it('lets the overrides file, found beside the config file, win over the shipped data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storeguard-calendar-'))
    writeFileSync(join(dir, 'holidays.json'), JSON.stringify({ holidays: ['2026-10-08'], workdays: [] }))
    const calendar = createCalendar(store, tickets({ calendar: 'cn-workdays', holidayOverrides: 'holidays.json' }), {
      configDir: dir,
    })
    expect(calendar.isOpen(at('2026-10-08T10:00'))).toBe(false)
    // 3 h Wed 09-30, 10-08 now off, 9 h Fri 10-09, 6 h Sat 10-10 (调休)
    expect(dueAt(calendar, '2026-09-30T15:00')).toBe('2026-10-10T15:00')
  })

  it('reports a year without holiday data through onUnknownYear', () => {
    const years: number[] = []
    const calendar = createCalendar(store, tickets({ calendar: 'cn-workdays' }), {
      onUnknownYear: (y) => years.push(y),
    })
    calendar.addBusinessTime(at(`${UNKNOWN_YEAR}-03-01T10:00`), calendar.businessDayMs)
    expect(years).toEqual([UNKNOWN_YEAR])
  })
})
