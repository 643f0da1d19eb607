import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { fallbackWorkdays, lastShippedWorkday, UNKNOWN_YEAR } from './testing/holidayDataYears.js'

// docs/requirements.md#business-calendars: every calendar works in the store's time zone, whatever the host's
// TZ. The check runs in a child `node` (TZ is read when a process starts) on the
// built files in dist/, which the vitest globalSetup builds.
const script = fileURLToPath(new URL('./fixtures/hostTimeZoneCheck.mjs', import.meta.url))
const built = fileURLToPath(new URL('../../dist/gateway/calendar/createCalendar.js', import.meta.url))

function runWithHostTimeZone(tz: string): Record<string, unknown> {
  const out = execFileSync(process.execPath, [script, lastShippedWorkday()], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  })
  return JSON.parse(out) as Record<string, unknown>
}

const expected = {
  cnHolidayBlock: '2026-10-09T15:00',
  cnAfterHours: '2026-10-12T18:00',
  cnClockStart: '2026-10-10T09:00',
  cnAdjustedSaturdayOpen: true,
  cnMondayOpen: true,
  cnNationalDayOpen: false,
  // opened 15:00 on the last shipped working day: 3 h there, 9 h on the first fallback working day, 6 h on the second
  cnUnknownYearDue: `${fallbackWorkdays(UNKNOWN_YEAR, 2)[1]}T15:00`,
  unknownYears: [UNKNOWN_YEAR],
  // Example 3 (docs/requirements.md#worked-examples): store open every day 09:00–21:00, no closure
  storeSpecExample: '2026-10-02T15:00',
  storeEveryDay: '2026-09-30T15:00',
  storeClosureDay: '2026-10-03T15:00',
  lunchBreakInBreak: '2026-10-10T12:00', // open every day: 4.5 h Fri from 13:30, 3 h Sat
  businessTimeOnAdjustedSaturdayMs: 9 * 3_600_000,
}

describe('calendars on a host in another time zone', () => {
  it('has the built calendar to run (npm run build)', () => {
    expect(existsSync(built), `${built} is missing: build with tsc -p tsconfig.build.json`).toBe(true)
  })

  for (const [tz, offsetMin] of [
    ['UTC', 0],
    ['America/New_York', -240],
    ['Asia/Shanghai', 480],
    ['Pacific/Kiritimati', 840],
  ] as const) {
    it(`gives the same due times with the host running TZ=${tz}`, () => {
      const result = runWithHostTimeZone(tz)
      // the child really ran in that zone
      expect(result.hostOffsetMin).toBe(offsetMin)
      expect(result).toMatchObject(expected)
    })
  }
})
