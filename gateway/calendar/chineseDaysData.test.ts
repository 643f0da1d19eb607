import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { isStatutoryWorkday, shippedHolidayYears } from './chineseDaysData.js'
import { addDays } from './localDates.js'

// Every working day chinese-days' own isWorkday reports from `first` to `last`,
// asked in a child with TZ=Asia/Shanghai, the zone where the package is right.
function packageWorkdays(first: string, last: string): string[] {
  const script = `
    const { isWorkday } = require('chinese-days')
    const out = []
    for (let t = Date.parse('${first}T00:00Z'); t <= Date.parse('${last}T00:00Z'); t += 864e5) {
      const date = new Date(t).toISOString().slice(0, 10)
      if (isWorkday(date)) out.push(date)
    }
    process.stdout.write(JSON.stringify(out))`
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, TZ: 'Asia/Shanghai' },
    encoding: 'utf8',
  })
  return JSON.parse(out) as string[]
}

describe('chinese-days data', () => {
  it("agrees with the package's own isWorkday on every day of every shipped year", () => {
    const years = [...shippedHolidayYears].sort()
    const first = `${years[0]}-01-01`
    const last = `${years[years.length - 1]}-12-31`
    const ours: string[] = []
    for (let date = first; date <= last; date = addDays(date, 1)) if (isStatutoryWorkday(date)) ours.push(date)
    expect(ours.length).toBeGreaterThan(5000)
    expect(ours).toEqual(packageWorkdays(first, last))
  })

  it('knows the 2026 National Day holiday and its adjusted working days', () => {
    expect(isStatutoryWorkday('2026-09-20')).toBe(true) // Sunday, 调休
    expect(isStatutoryWorkday('2026-09-30')).toBe(true)
    expect(isStatutoryWorkday('2026-10-01')).toBe(false)
    expect(isStatutoryWorkday('2026-10-07')).toBe(false)
    expect(isStatutoryWorkday('2026-10-08')).toBe(true)
    expect(isStatutoryWorkday('2026-10-10')).toBe(true) // Saturday, 调休
    expect(isStatutoryWorkday('2026-10-11')).toBe(false)
    expect(isStatutoryWorkday('2026-10-12')).toBe(true)
  })
})
