import { describe, expect, it } from 'vitest'
import type { Intent, NoticeIntent, RaiseIntent } from '../gateway/core/intent.js'
import { dailyCalendar } from '../test/support/dailyCalendar.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createQueueRule, type QueueSettings, queuePreprocessKey, queueWaitKey } from './queue.js'

const SETTINGS: QueueSettings = {
  enabled: true,
  preprocessPerCounter: 3,
  preprocessHysteresis: 1,
  waitTargetMin: 10,
  waitHysteresisMin: 2,
  holdSec: 60,
  clearHoldSec: 120,
}
const SEC = 1000
const NOTICE = queuePreprocessKey('queue-a')
const WAIT = queueWaitKey('queue-a')

function setup(settings: QueueSettings = SETTINGS) {
  const fake = fakeRuleView([{ id: 'queue-a', type: 'queue', zone: 'hall', name: 'Counter queue A' }])
  const rule = createQueueRule(settings)
  /** A report at `atSec`: its readings first, as the engine records them, then the tick that judges them. */
  const report = (atSec: number, metrics: Record<string, number>): Intent[] => {
    fake.at(atSec * SEC)
    const readings = Object.entries(metrics).flatMap(([metric, value]) => {
      fake.record('queue-a', metric, value)
      const reading = { store: 'test-store', deviceId: 'queue-a', deviceType: 'queue' as const, zone: 'hall' }
      return rule.onReading({ ...reading, metric, value, ts: atSec * SEC, quality: 'good' }, fake.view)
    })
    return [...readings, ...tick(atSec)]
  }
  const tick = (atSec: number): Intent[] => {
    fake.at(atSec * SEC)
    return [...(rule.onTick?.(fake.view) ?? [])]
  }
  return { fake, rule, report, tick }
}

const notices = (intents: readonly Intent[]) => intents.filter((i): i is NoticeIntent => i.type === 'notice')
const raises = (intents: readonly Intent[]) => intents.filter((i): i is RaiseIntent => i.type === 'raise')
const keysOf = (intents: readonly Intent[], type: Intent['type']) =>
  intents.filter((i) => i.type === type).map((i) => ('key' in i ? i.key : ''))

describe('queue rule: pre-processing', () => {
  it('more than 3 per counter held for the hold time posts one staff notice, and falling back withdraws it', () => {
    const { report, tick } = setup()
    expect(keysOf(report(0, { waiting: 2, wait_min: 3 }), 'notice')).toEqual([])
    expect(report(10, { waiting: 4 })).toEqual([])
    expect(tick(69)).toEqual([])
    const posted = notices(tick(70))
    expect(posted).toHaveLength(1)
    expect(posted[0]).toMatchObject({ key: NOTICE, audience: 'staff', zone: 'hall', deviceId: 'queue-a', endsAt: null })
    expect(posted[0]?.texts.en).toContain('4 customers waiting, open counters: 1')
    expect(posted[0]?.texts['zh-CN']).toContain('预处理')
    // the same queue again changes nothing
    expect(report(80, { waiting: 4 })).toEqual([])
    expect(report(90, { waiting: 2 })).toEqual([])
    expect(tick(209)).toEqual([])
    expect(tick(210)).toEqual([{ type: 'withdraw_notice', key: NOTICE }])
    expect(tick(300)).toEqual([])
  })

  it('judges customers per open counter when the queue says how many counters serve it', () => {
    const { report } = setup()
    report(0, { waiting: 9, counters_open: 3 })
    expect(report(100, { waiting: 9, counters_open: 3 })).toEqual([])
    report(110, { waiting: 10, counters_open: 3 })
    expect(notices(report(170, { waiting: 10 }))[0]?.texts.en).toContain('10 customers waiting, open counters: 3')
  })

  it('a queue hovering at the threshold does not flap: a dip restarts the hold, the band keeps the notice', () => {
    const { report, tick } = setup()
    report(0, { waiting: 2 })
    report(10, { waiting: 4 })
    report(50, { waiting: 3 })
    report(60, { waiting: 4 })
    expect(tick(110)).toEqual([])
    expect(keysOf(tick(120), 'notice')).toEqual([NOTICE])
    // 3 per counter is not over, but not under 3 − 1 either: the notice stays
    report(130, { waiting: 3 })
    report(200, { waiting: 2 })
    report(250, { waiting: 3 })
    report(260, { waiting: 2 })
    expect(tick(379)).toEqual([])
    expect(tick(380)).toEqual([{ type: 'withdraw_notice', key: NOTICE }])
  })

  it('updates the notice when the count changes while it is up', () => {
    const { report, tick } = setup()
    report(0, { waiting: 5 })
    expect(notices(report(1, { waiting: 6 }))).toHaveLength(1)
    tick(2)
    expect(notices(report(3, { waiting: 7 }))[0]?.texts.en).toContain('7 customers')
  })
})

describe('queue rule: waiting time', () => {
  it('a longest wait above 10 min for the hold time raises one queue_wait warning, cleared when it falls back', () => {
    const { report, tick } = setup()
    report(0, { waiting: 1, wait_min: 8 })
    report(10, { wait_min: 12 })
    expect(raises(tick(69))).toEqual([])
    const raised = raises(tick(70))
    expect(raised).toHaveLength(1)
    expect(raised[0]).toMatchObject({
      key: WAIT,
      kind: 'queue_wait',
      severity: 'warning',
      latching: false,
      silent: false,
      deviceId: 'queue-a',
      zone: 'hall',
      details: { waitMin: 12, targetMin: 10, waiting: 1, countersOpen: 1 },
    })
    expect(raised[0]?.messages.en).toMatch(/12 min, over the 10 min target; please open another counter/)
    expect(raised[0]?.checklist.en[0]).toMatch(/Open another counter/)
    expect(tick(100)).toEqual([])
    // a longer wait updates the alarm's message, nothing more
    expect(raises(report(110, { wait_min: 13.04 }))[0]?.messages.en).toContain('13 min')
    // 9 is not at or below 10 − 2: still over target as far as the alarm goes
    report(120, { wait_min: 9 })
    expect(tick(400)).toEqual([])
    report(410, { wait_min: 8 })
    expect(tick(529)).toEqual([])
    expect(tick(530)).toEqual([{ type: 'clear', key: WAIT }])
  })

  it('a restarted rule adopts its open alarm and clears it when the wait is back', () => {
    const { fake, report, tick } = setup()
    fake.openAlarm(WAIT, { conditionActive: true, messages: { 'zh-CN': '', en: 'before' } })
    report(0, { waiting: 1, wait_min: 4 })
    expect(tick(119)).toEqual([])
    expect(tick(120)).toEqual([{ type: 'clear', key: WAIT }])
  })

  it('a restarted rule keeps an adopted alarm while the wait is still over, updating what it says', () => {
    const { fake, report, tick } = setup()
    fake.openAlarm(WAIT, { conditionActive: true, messages: { 'zh-CN': '', en: 'before' } })
    expect(raises(report(0, { waiting: 1, wait_min: 15 }))).toHaveLength(1)
    expect(tick(500)).toEqual([])
  })
})

describe('queue rule: after a restart and outside opening hours', () => {
  it('the first report after a start withdraws a notice that outlived the restart, unless the queue is still long', () => {
    const short = setup()
    expect(short.tick(0)).toEqual([])
    expect(short.report(1, { waiting: 1 })).toEqual([{ type: 'withdraw_notice', key: NOTICE }])
    const long = setup()
    expect(keysOf(long.report(1, { waiting: 8 }), 'notice')).toEqual([NOTICE])
  })

  it('outside opening hours nothing is posted or raised, however long the queue', () => {
    const { fake, report, tick } = setup()
    // 09:00–21:00 Shanghai; 1_700_000_000_000 is 06:13 there
    const calendar = dailyCalendar([[9, 21]])
    fake.setOpen(calendar.isOpen)
    const t0 = 1_700_000_000
    expect(calendar.isOpen(t0 * SEC)).toBe(false)
    const intents = [
      ...report(t0, { waiting: 20, wait_min: 45 }),
      ...tick(t0 + 600),
      ...report(t0 + 1200, { waiting: 25 }),
    ]
    expect(intents.filter((i) => i.type === 'notice' || i.type === 'raise')).toEqual([])
  })

  it('closing time withdraws the notice and clears the alarm at once; opening starts the hold over', () => {
    const { fake, report, tick } = setup()
    let open = true
    fake.setOpen(() => open)
    report(0, { waiting: 6, wait_min: 20 })
    report(60, { waiting: 6 })
    tick(120)
    open = false
    expect(tick(121)).toEqual([
      { type: 'withdraw_notice', key: NOTICE },
      { type: 'clear', key: WAIT },
    ])
    expect(tick(122)).toEqual([])
    open = true
    expect(tick(200)).toEqual([])
    expect(keysOf(tick(260), 'notice')).toEqual([NOTICE])
    expect(keysOf(tick(260), 'raise')).toEqual([])
  })

  it('a queue device removed by a reload takes its notice and alarm with it', () => {
    const { fake, report, rule } = setup()
    report(0, { waiting: 6, wait_min: 20 })
    report(60, { waiting: 6 })
    const empty = fakeRuleView([], 100 * SEC)
    empty.openAlarm(WAIT, { conditionActive: true })
    expect(rule.onTick?.(empty.view)).toEqual([
      { type: 'withdraw_notice', key: NOTICE },
      { type: 'clear', key: WAIT },
    ])
    expect(fake.view.devices({ type: 'queue' })).toHaveLength(1)
  })
})
