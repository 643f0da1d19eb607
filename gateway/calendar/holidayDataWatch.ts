import type { Gauge } from 'prom-client'
import type { NoticeIntent } from '../core/intent.js'
import type { Notice, NoticeAudience } from '../core/notice.js'
import type { Logger } from '../log.js'
import type { BusinessCalendar } from './businessCalendar.js'

/** The part of the notice service the watch uses (gateway/notices/noticeService.ts). */
export interface CalendarNotices {
  /** Idempotent by key: an unchanged repeat writes nothing, so a restart posts no duplicate. */
  post(intent: NoticeIntent, by: string): void
  withdraw(key: string, by: string): void
  list(audience?: NoticeAudience): readonly Notice[]
}

export interface HolidayDataWatchOptions {
  readonly calendar: Pick<BusinessCalendar, 'yearsWithoutData'>
  /** How far ahead of now a year without data is warned about, in days. */
  readonly horizonDays: number
  readonly log: Logger
  /** `storeguard_calendar_year_without_data{year}`. */
  readonly gauge: Pick<Gauge<'year'>, 'set' | 'remove'>
  readonly notices: CalendarNotices
}

const BY = 'gateway:calendar'
const NOTICE_PREFIX = 'calendar_no_data:'
const DAY_MS = 86_400_000

/** The staff notice for a year without holiday data; one per year. */
export const noDataNoticeKey = (year: number): string => `${NOTICE_PREFIX}${year}`

/**
 * docs/requirements.md#business-calendars: a year with no published holiday data is a known state, not a
 * silent one. The cn-workdays calendar falls back to Monday–Friday for it; this
 * watch says so — a warning in the log, the gauge at 1 and a staff notice — as
 * soon as any day from now to `horizonDays` ahead falls in such a year, even on
 * a site with no ticket open. `check` runs at start, `tick` re-checks once a
 * day; `warn` is also the calendar's `onUnknownYear`, for a ticket whose SLA
 * window reaches further. The notice is posted once (a restart finds it
 * unchanged) and withdrawn once the year has data (a newer chinese-days and a
 * restart) or the SLA no longer runs on cn-workdays. The `store` calendar has
 * no years without data, so it is never warned about.
 */
export function createHolidayDataWatch(options: HolidayDataWatchOptions) {
  const { calendar, log, gauge, notices } = options
  const horizonMs = options.horizonDays * DAY_MS
  const warned = new Set<number>()
  let lastCheckMs: number | null = null

  function warn(year: number): void {
    if (warned.has(year)) return
    warned.add(year)
    log.warn({ year }, 'no statutory holiday data for this year: SLA clock falls back to Monday–Friday')
    gauge.set({ year: String(year) }, 1)
    notices.post(noDataNotice(year), BY)
  }

  /** The calendar has no data for `year` (a mid-year instant is in that year in every time zone). */
  const lacksData = (year: number): boolean => {
    const midYear = Date.UTC(year, 6, 1)
    return calendar.yearsWithoutData(midYear, midYear).includes(year)
  }

  function withdrawSettled(): void {
    for (const notice of notices.list('staff')) {
      if (!notice.key.startsWith(NOTICE_PREFIX)) continue
      const year = Number(notice.key.slice(NOTICE_PREFIX.length))
      if (Number.isInteger(year) && lacksData(year)) continue
      notices.withdraw(notice.key, BY)
      gauge.remove({ year: String(year) })
    }
  }

  function check(nowMs: number): void {
    lastCheckMs = nowMs
    for (const year of calendar.yearsWithoutData(nowMs, nowMs + horizonMs)) warn(year)
    withdrawSettled()
  }

  return {
    check,
    warn,
    /** Re-checks once a day has passed since the last check (or the clock went back). */
    tick(nowMs: number): void {
      if (lastCheckMs === null || nowMs - lastCheckMs >= DAY_MS || nowMs < lastCheckMs) check(nowMs)
    },
  }
}

export type HolidayDataWatch = ReturnType<typeof createHolidayDataWatch>

/** zh-CN and en: what staff need to know, and what to do about it. */
function noDataNotice(year: number): NoticeIntent {
  return {
    type: 'notice',
    key: noDataNoticeKey(year),
    audience: 'staff',
    zone: null,
    deviceId: null,
    texts: {
      'zh-CN': `${year} 年法定节假日数据尚未发布：维修时限暂按周一至周五计算，请更新节假日数据或配置 holidayOverrides`,
      en: `No statutory holiday data for ${year} yet: repair deadlines count Monday to Friday until the holiday data is updated or holidayOverrides is set`,
    },
    endsAt: null,
  }
}
