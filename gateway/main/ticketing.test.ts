import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { LAST_SHIPPED_YEAR, UNKNOWN_YEAR } from '../calendar/testing/holidayDataYears.js'
import { parseConfig } from '../config/loadConfig.js'
import { EventBus, type GatewayEvent } from '../core/events.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { startTicketing, type Ticketing } from './ticketing.js'

const HOUR_MS = 3_600_000
const NOTICE_KEY = `calendar_no_data:${UNKNOWN_YEAR}`
const GAUGE_LINE = `storeguard_calendar_year_without_data{year="${UNKNOWN_YEAR}"} 1`
/** A local time in the store's zone (Asia/Shanghai, UTC+8) in the last year chinese-days has data for. */
const lastDataYear = (monthDayTime: string) => `${LAST_SHIPPED_YEAR}-${monthDayTime}:00+08:00`

/**
 * The gateway's ticketing on a quiet site (no terminal, no ticket), over a real
 * journal, with a clock the test moves; each `start` is a start of the gateway
 * over the same journal, as after a restart or an upgrade.
 */
function quietSite() {
  const dir = tempDir('storeguard-ticketing-')
  let now = 0
  const clock = { now: () => now }
  const events: GatewayEvent[] = []
  const running: { ticketing: Ticketing; db: SqliteDatabase }[] = []

  function start(calendar: 'cn-workdays' | 'store', at: string) {
    now = Date.parse(at)
    const config = parseConfig(
      `store: { id: quiet-store, timeZone: Asia/Shanghai }\ntickets: { calendar: ${calendar} }\nstorage: { dataDir: ${dir.path} }\n`,
      join(dir.path, 'storeguard.yaml'),
      {},
    )
    const db = openDatabase(dir.path)
    const bus = new EventBus((err) => {
      throw err
    })
    bus.subscribe((e) => events.push(e))
    const logs: { level: number; msg: string; year?: number }[] = []
    const log = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) })
    const metrics = createMetrics()
    const notices = createNoticeService({
      store: createNoticeStore(db),
      publisher: { noticeChanged: () => {}, retainNotice: () => {} },
      events: bus,
      clock,
      locale: 'en',
    })
    const ticketing = startTicketing({
      config,
      db,
      bus: { publish: () => {} },
      events: bus,
      clock,
      log,
      metrics,
      notices,
      alarms: { list: () => [] },
      devices: { list: () => [] },
    })
    running.push({ ticketing, db })
    return {
      ticketing,
      warnings: () => logs.filter((l) => l.level === 40 && l.msg.startsWith('no statutory holiday data')),
      gauge: async () => (await metrics.registry.metrics()).split('\n').filter((l) => l.includes('year_without_data{')),
      notice: () => notices.list('staff').find((n) => n.key === NOTICE_KEY),
      /** Ticks the way the gateway does, every hour of simulated time (the gateway: every second), until `until`. */
      runUntil(until: string) {
        const end = Date.parse(until)
        while (now < end) {
          now = Math.min(now + HOUR_MS, end)
          ticketing.tick(now)
        }
      },
    }
  }

  /** Every time the notice was posted, over all starts. */
  const postings = () =>
    events.filter((e) => e.type === 'notice' && e.action === 'posted' && e.notice.key === NOTICE_KEY)

  return {
    start,
    postings,
    stop() {
      for (const { ticketing, db } of running.splice(0)) {
        ticketing.stop()
        db.close()
      }
    },
    close() {
      this.stop()
      dir.remove()
    },
  }
}

describe('the warning about a year without holiday data, on a site with no ticket open', () => {
  let site: ReturnType<typeof quietSite>
  afterEach(() => site.close())

  it('warns at start in the log, the metric and a staff notice when the next 30 days reach that year', async () => {
    site = quietSite()
    const gateway = site.start('cn-workdays', lastDataYear('12-15T10:00'))
    expect(gateway.warnings()).toMatchObject([{ year: UNKNOWN_YEAR }])
    expect(await gateway.gauge()).toEqual([GAUGE_LINE])
    expect(gateway.notice()).toMatchObject({
      audience: 'staff',
      active: true,
      texts: { en: expect.stringContaining(`No statutory holiday data for ${UNKNOWN_YEAR}`) },
    })
  })

  it('says nothing in June, when the next 30 days all have data', async () => {
    site = quietSite()
    const gateway = site.start('cn-workdays', lastDataYear('06-01T10:00'))
    gateway.runUntil(lastDataYear('06-10T10:00'))
    expect(gateway.warnings()).toEqual([])
    expect(await gateway.gauge()).toEqual([])
    expect(gateway.notice()).toBeUndefined()
  })

  it("never warns on the store's own calendar, which needs no holiday data", async () => {
    site = quietSite()
    const gateway = site.start('store', lastDataYear('12-15T10:00'))
    gateway.runUntil(`${UNKNOWN_YEAR}-01-05T10:00:00+08:00`)
    expect(gateway.warnings()).toEqual([])
    expect(await gateway.gauge()).toEqual([])
    expect(gateway.notice()).toBeUndefined()
  })

  it('checks again once a day, and posts the notice once however often it checks or restarts', async () => {
    site = quietSite()
    const first = site.start('cn-workdays', lastDataYear('11-25T10:00'))
    first.runUntil(lastDataYear('12-01T12:00'))
    expect(first.warnings()).toEqual([])
    // the daily check of 2 December at 10:00 is the first whose 30 days reach 1 January
    first.runUntil(lastDataYear('12-10T10:00'))
    expect(first.warnings()).toHaveLength(1)
    expect(await first.gauge()).toEqual([GAUGE_LINE])
    expect(first.notice()?.startsAt).toBe(new Date(lastDataYear('12-02T10:00')).toISOString())

    site.stop()
    const second = site.start('cn-workdays', lastDataYear('12-10T11:00'))
    second.runUntil(lastDataYear('12-20T10:00'))
    // the restarted gateway says so again in its log and metric, and the notice stays up, unchanged
    expect(second.warnings()).toHaveLength(1)
    expect(await second.gauge()).toEqual([GAUGE_LINE])
    expect(second.notice()?.active).toBe(true)
    expect(site.postings()).toHaveLength(1)
  })

  it('withdraws the notice when the SLA no longer runs on cn-workdays', () => {
    site = quietSite()
    site.start('cn-workdays', lastDataYear('12-15T10:00'))
    site.stop()
    const after = site.start('store', lastDataYear('12-16T10:00'))
    expect(after.notice()).toBeUndefined()
  })
})
