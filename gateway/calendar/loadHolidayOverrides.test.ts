import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isStoreGuardError, type StoreGuardError } from '../core/errors.js'
import { loadHolidayOverrides } from './loadHolidayOverrides.js'

const dir = mkdtempSync(join(tmpdir(), 'storeguard-overrides-'))
function file(name: string, content: string): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
function failure(path: string): StoreGuardError {
  try {
    loadHolidayOverrides(path)
  } catch (err) {
    if (isStoreGuardError(err)) return err
    throw err
  }
  throw new Error('expected an error')
}

describe('holiday overrides file', () => {
  it('reads holidays and workdays', () => {
    const path = file('ok.json', '{"holidays": ["2026-12-24"], "workdays": ["2026-10-03"]}')
    expect(loadHolidayOverrides(path)).toEqual({ holidays: ['2026-12-24'], workdays: ['2026-10-03'] })
  })

  it('treats a missing list as empty', () => {
    expect(loadHolidayOverrides(file('half.json', '{"holidays": ["2027-01-01"]}'))).toEqual({
      holidays: ['2027-01-01'],
      workdays: [],
    })
  })

  it('names the file when it cannot be read', () => {
    const err = failure(join(dir, 'missing.json'))
    expect(err.code).toBe('config_unreadable')
    expect(err.message).toContain('missing.json')
  })

  it('names the file when it is not JSON', () => {
    const err = failure(file('broken.json', '{"holidays": [2026-10-01]}'))
    expect(err.code).toBe('config_unreadable')
    expect(err.message).toContain('broken.json')
  })

  it('lists every problem with the file', () => {
    const path = file(
      'bad.json',
      '{"holidays": ["2026-10-01", "2026-13-01", 20261002], "workdays": "2026-10-10", "holydays": [], "x": 1}',
    )
    const err = failure(path)
    expect(err.code).toBe('config_invalid')
    expect(err.message).toContain('bad.json')
    expect(err.message).toContain('holidays[1]: "2026-13-01" is not a date')
    expect(err.message).toContain('holidays[2]: 20261002 is not a date')
    expect(err.message).toContain('workdays: must be a list of dates')
    expect(err.message).toContain('holydays: is not a known setting')
  })

  it('refuses a date that is both a holiday and a workday', () => {
    const err = failure(file('both.json', '{"holidays": ["2026-10-10"], "workdays": ["2026-10-10"]}'))
    expect(err.code).toBe('config_invalid')
    expect(err.message).toContain('2026-10-10 is listed both as a holiday and as a workday')
  })

  it('refuses a file that is not an object', () => {
    expect(failure(file('list.json', '["2026-10-01"]')).code).toBe('config_invalid')
  })
})
