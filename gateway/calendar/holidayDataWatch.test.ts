import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { EventBus, type GatewayEvent } from '../core/events.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import type { BusinessCalendar } from './businessCalendar.js'
import { createCalendar } from './createCalendar.js'
import { createHolidayDataWatch, noDataNoticeKey } from './holidayDataWatch.js'
import { everyDay } from './testing/everyDay.js'
import { LAST_SHIPPED_YEAR, UNKNOWN_YEAR } from './testing/holidayDataYears.js'

const store = {
  timeZone: 'Asia/Shanghai',
  businessHours: everyDay([{ open: '09:00', close: '21:00' }]),
  specialDays: [],
}
const cnWorkdays = { calendar: 'cn-workdays' as const, workdayHours: [{ open: '09:00', close: '18:00' }] }
const at = (monthDayTime: string) => Date.parse(`${LAST_SHIPPED_YEAR}-${monthDayTime}:00+08:00`)

describe('holiday data watch', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase | null = null
  const events: GatewayEvent[] = []
  beforeEach(() => {
    dir = tempDir('storeguard-holiday-watch-')
  })
  afterEach(() => {
    db?.close()
    db = null
    events.length = 0
    dir.remove()
  })

  /** A gateway start over the same journal: the watch, its notices, log and metrics. */
  function start(calendar: Pick<BusinessCalendar, 'yearsWithoutData'>, nowMs: number) {
    db?.close()
    db = openDatabase(dir.path)
    const bus = new EventBus((err) => {
      throw err
    })
    bus.subscribe((e) => events.push(e))
    const notices = createNoticeService({
      store: createNoticeStore(db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: bus,
      clock: { now: () => nowMs },
      locale: 'en',
    })
    const logs: { msg: string }[] = []
    const metrics = createMetrics()
    const watch = createHolidayDataWatch({
      calendar,
      horizonDays: 30,
      log: createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) }),
      gauge: metrics.calendarYearWithoutData,
      notices,
    })
    return {
      watch,
      warnings: () => logs.filter((l) => l.msg.startsWith('no statutory holiday data')),
      gauge: async () => (await metrics.registry.metrics()).split('\n').filter((l) => l.includes('year_without_data{')),
      notice: () => notices.list('staff').find((n) => n.key === noDataNoticeKey(UNKNOWN_YEAR)),
    }
  }

  it('withdraws the notice once a newer chinese-days has data for the year, after the restart that loads it', async () => {
    const shipped = createCalendar(store, cnWorkdays)
    const before = start(shipped, at('12-15T10:00'))
    before.watch.check(at('12-15T10:00'))
    expect(before.notice()?.active).toBe(true)

    // the upgraded package: the same calendar, with data for the year that had none
    const upgraded = {
      yearsWithoutData: (fromMs: number, toMs: number) =>
        shipped.yearsWithoutData(fromMs, toMs).filter((year) => year !== UNKNOWN_YEAR),
    }
    const after = start(upgraded, at('12-16T10:00'))
    after.watch.check(at('12-16T10:00'))
    expect(after.notice()).toBeUndefined()
    expect(after.warnings()).toEqual([])
    expect(await after.gauge()).toEqual([])
    expect(events.filter((e) => e.type === 'notice').map((e) => e.action)).toEqual(['posted', 'withdrawn'])
  })

  it('a ticket whose SLA reaches the year first warns once, and the daily check does not warn again', async () => {
    const calendar = createCalendar(store, cnWorkdays, { onUnknownYear: (year) => gateway.watch.warn(year) })
    const gateway = start(calendar, at('06-01T10:00'))
    gateway.watch.check(at('06-01T10:00'))
    expect(gateway.warnings()).toEqual([])
    calendar.addBusinessTime(at('12-31T15:00'), 2 * calendar.businessDayMs)
    expect(gateway.warnings()).toHaveLength(1)
    gateway.watch.tick(at('12-15T10:00'))
    gateway.watch.tick(at('12-16T10:00'))
    expect(gateway.warnings()).toHaveLength(1)
    expect(await gateway.gauge()).toEqual([`storeguard_calendar_year_without_data{year="${UNKNOWN_YEAR}"} 1`])
    expect(events.filter((e) => e.type === 'notice' && e.action === 'posted')).toHaveLength(1)
  })
})
