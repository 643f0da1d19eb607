import { describe, expect, it } from 'vitest'
import type { Intent, NoticeIntent, RaiseIntent, TicketRequestIntent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import {
  createTerminalFaultRule,
  TERMINAL_CUSTOMER_NOTICE,
  terminalFaultKey,
  terminalWarningKey,
} from './terminalFault.js'

const terminals: DeviceInfo[] = [
  { id: 'terminal-1', type: 'terminal', zone: 'self-service', name: '自助终端 1' },
  { id: 'terminal-2', type: 'terminal', zone: 'self-service', name: '自助终端 2' },
]
const SETTINGS = { enabled: true, settleSec: 120, warningCodes: ['paper_low', 'ink_low', 'cash_low', 'card_stock_low'] }
const OK = { status: 'ok', fault_codes: '', paper_low: false }
const PRINTER_CARD = { status: 'fault', fault_codes: 'printer,card_reader', paper_low: false }

function setup(devices = terminals) {
  const fake = fakeRuleView(devices)
  const rule = createTerminalFaultRule(SETTINGS)
  /** One report: each metric becomes a reading, recorded then given to the rule, as the engine does. */
  const send = (deviceId: string, metrics: Record<string, ReadingValue>): Intent[] =>
    Object.entries(metrics).flatMap(([metric, value]) => {
      fake.record(deviceId, metric, value)
      const reading = { store: 'test-store', deviceId, deviceType: 'terminal' as const, zone: 'self-service', metric }
      return [...rule.onReading({ ...reading, value, ts: fake.view.now(), quality: 'good' }, fake.view)]
    })
  const tick = (atMs: number): Intent[] => {
    fake.at(atMs)
    return [...(rule.onTick?.(fake.view) ?? [])]
  }
  return { fake, rule, send, tick }
}

const ofType = <T extends Intent['type']>(intents: readonly Intent[], type: T) =>
  intents.filter((i): i is Extract<Intent, { type: T }> => i.type === type)
/** What the alarm shows after these intents: a report is one reading per metric, each may update it. */
const lastRaise = (intents: readonly Intent[]): RaiseIntent => {
  const raise = ofType(intents, 'raise').at(-1)
  if (!raise) throw new Error(`expected a raise in ${JSON.stringify(intents)}`)
  return raise
}
const customerNotices = (intents: readonly Intent[]): NoticeIntent[] =>
  ofType(intents, 'notice').filter((n) => n.audience === 'customer')
const tickets = (intents: readonly Intent[]): TicketRequestIntent[] => ofType(intents, 'ticket_request')

describe('terminal fault rule', () => {
  it('a terminal reporting a fault raises one major, non-latching, shelvable alarm naming it and its codes', () => {
    const { send } = setup()
    const raise = lastRaise(send('terminal-1', PRINTER_CARD))
    expect(raise).toMatchObject({
      key: 'terminal_fault:terminal-1',
      kind: 'terminal_fault',
      severity: 'major',
      latching: false,
      silent: false,
      shelvable: true,
      deviceId: 'terminal-1',
      zone: 'self-service',
      details: { faultCodes: 'printer,card_reader', offline: false },
    })
    expect(raise.messages['zh-CN']).toContain('自助终端 1')
    expect(raise.messages['zh-CN']).toContain('打印机、读卡器')
    expect(raise.messages.en).toContain('printer, card reader')
  })

  it('translates every known fault code and shows an unknown one as it came', () => {
    const { send } = setup()
    const raise = lastRaise(send('terminal-1', { fault_codes: 'cash_module,screen,network,coin_jam' }))
    expect(raise.messages['zh-CN']).toContain('现金模块、屏幕、网络、coin_jam')
    expect(raise.messages.en).toContain('cash module, screen, network, coin_jam')
  })

  it('a fault code that is not a warning raises the alarm even when the status only says degraded', () => {
    const { send } = setup()
    const raise = lastRaise(send('terminal-1', { status: 'degraded', fault_codes: 'paper_low,card_reader' }))
    expect(raise.details).toEqual({ faultCodes: 'card_reader', offline: false })
  })

  it('status fault without any code still raises, saying it reports a fault', () => {
    const { send } = setup()
    const raise = lastRaise(send('terminal-1', { status: 'fault' }))
    expect(raise.messages.en).toContain('reports a fault')
    expect(raise.details).toEqual({ faultCodes: '', offline: false })
  })

  it('puts the polite service-language notice on that terminal for customers, in Chinese and English', () => {
    const { send } = setup()
    const [notice, ...more] = customerNotices(send('terminal-1', PRINTER_CARD))
    expect(more).toEqual([])
    expect(notice).toEqual({
      type: 'notice',
      key: 'terminal_fault:terminal-1',
      audience: 'customer',
      zone: 'self-service',
      deviceId: 'terminal-1',
      texts: {
        'zh-CN': `${TERMINAL_CUSTOMER_NOTICE['zh-CN']}请您移步自助终端 2办理。`,
        en: `${TERMINAL_CUSTOMER_NOTICE.en} Meanwhile, please use 自助终端 2.`,
      },
      endsAt: null,
    })
    expect(TERMINAL_CUSTOMER_NOTICE['zh-CN']).toContain('抱歉')
  })

  describe('the customer notice says when and where else (docs/requirements.md#customer-notices-say-when)', () => {
    const DUE = { 'zh-CN': '10月2日（周五）12:00', en: 'Fri 2 Oct 12:00' }

    it("once the terminal's ticket is open, the notice is posted again with its due time", () => {
      const { fake, send, tick } = setup()
      send('terminal-1', PRINTER_CARD)
      expect(customerNotices(tick(1000))).toEqual([])
      fake.setTicketDue('terminal-1', DUE)
      const [notice, ...more] = customerNotices(tick(2000))
      expect(more).toEqual([])
      expect(notice?.texts['zh-CN']).toContain('预计于 10月2日（周五）12:00 前恢复使用。')
      expect(notice?.texts.en).toContain('It should be back in service by Fri 2 Oct 12:00.')
      expect(customerNotices(tick(3000)), 'unchanged: not posted again').toEqual([])
    })

    it('with no other terminal working, it sends customers to the counter', () => {
      const { send, tick } = setup()
      send('terminal-2', PRINTER_CARD)
      const [notice] = customerNotices(send('terminal-1', PRINTER_CARD))
      expect(notice?.texts['zh-CN']).toContain('请您移步人工柜台办理。')
      expect(notice?.texts.en).toContain('please use a staffed counter')
      expect(notice?.texts.en).not.toContain('自助终端 2')
      expect(customerNotices(tick(1000)).filter((n) => n.deviceId === 'terminal-1')).toEqual([])
    })

    it('when the other terminal fails too, the first notice changes to the counter; when it is back, to it again', () => {
      const { fake, send, tick } = setup()
      send('terminal-2', OK)
      send('terminal-1', PRINTER_CARD)
      send('terminal-2', PRINTER_CARD)
      const counter = customerNotices(tick(1000)).find((n) => n.deviceId === 'terminal-1')
      expect(counter?.texts.en).toContain('staffed counter')
      for (const id of ['terminal-1', 'terminal-2']) fake.setHeartbeat(id, 3600)
      fake.at(2000)
      send('terminal-2', OK)
      // terminal 2 is back once its own episode has settled; terminal 1's notice follows on the next tick
      const settledAt = 2000 + SETTINGS.settleSec * 1000
      const back = [...tick(settledAt), ...tick(settledAt + 1000)].filter((i) => i.type === 'notice')
      expect(customerNotices(back).find((n) => n.deviceId === 'terminal-1')?.texts.en).toContain(
        'please use 自助终端 2',
      )
    })

    it('a terminal silent past its heartbeat is not offered as the alternative', () => {
      const { fake, send, tick } = setup()
      fake.setHeartbeat('terminal-2', 60)
      fake.at(0)
      send('terminal-2', OK)
      fake.at(30_000)
      send('terminal-1', PRINTER_CARD)
      // terminal 2 goes offline itself at 61 s; terminal 1's notice now names the counter
      const notices = customerNotices(tick(61_000))
      expect(notices.find((n) => n.deviceId === 'terminal-1')?.texts.en).toContain('staffed counter')
    })
  })

  it("asks for one repair ticket on the next tick, carrying the whole report's fault codes", () => {
    const { send, tick } = setup()
    const raised = send('terminal-1', PRINTER_CARD)
    expect(tickets(raised)).toEqual([])
    expect(tickets(tick(1_000))).toEqual([
      {
        type: 'ticket_request',
        deviceId: 'terminal-1',
        alarmKey: 'terminal_fault:terminal-1',
        faultCodes: ['printer', 'card_reader'],
        reason: lastRaise(raised).messages,
      },
    ])
    expect(tickets(tick(2_000))).toEqual([])
  })

  it('the alarm is raised on the status reading at once and updated when the codes of the same report follow', () => {
    const { send } = setup()
    const intents = send('terminal-1', PRINTER_CARD)
    expect(ofType(intents, 'raise').map((r) => r.details)).toEqual([
      { faultCodes: '', offline: false },
      { faultCodes: 'printer,card_reader', offline: false },
    ])
    expect(customerNotices(intents)).toHaveLength(1)
  })

  it('carries the service standard §4.2.1 / emergency plan steps: report for repair, notice, other channels, 2 business days, remove after a week', () => {
    const { send } = setup()
    const { checklist } = lastRaise(send('terminal-1', PRINTER_CARD))
    const zh = checklist['zh-CN'].join('\n')
    const en = checklist.en.join('\n')
    for (const s of ['报障', '提示牌', '人工柜台', '2 个营业日', '一周', '撤离']) expect(zh).toContain(s)
    for (const s of ['repair at once', 'notice', 'counter', '2 business days', 'within a week']) expect(en).toContain(s)
  })

  it('repeated fault reports open no second ticket or notice, and an unchanged report changes nothing', () => {
    const { send, tick, fake } = setup()
    send('terminal-1', PRINTER_CARD)
    tick(1_000)
    fake.at(30_000)
    expect(send('terminal-1', PRINTER_CARD)).toEqual([])
    expect(tick(31_000)).toEqual([])
  })

  it('a change of fault codes updates the alarm, still without a second ticket or notice', () => {
    const { send, tick } = setup()
    send('terminal-1', PRINTER_CARD)
    tick(1_000)
    const intents = send('terminal-1', { status: 'fault', fault_codes: 'screen' })
    expect(intents).toHaveLength(1)
    expect(lastRaise(intents).details).toEqual({ faultCodes: 'screen', offline: false })
    expect(tickets(tick(2_000))).toEqual([])
  })

  it('one terminal failing does not touch another', () => {
    const { send, tick } = setup()
    send('terminal-1', PRINTER_CARD)
    tick(1_000)
    const intents = send('terminal-2', PRINTER_CARD)
    expect(customerNotices(intents)).toMatchObject([{ deviceId: 'terminal-2' }])
    expect(lastRaise(intents).key).toBe(terminalFaultKey('terminal-2'))
    expect(tickets(tick(2_000))).toMatchObject([{ deviceId: 'terminal-2' }])
  })

  describe('warnings', () => {
    it('paper low tells staff only: no alarm, no customer notice, no ticket', () => {
      const { send } = setup()
      const intents = send('terminal-1', { ...OK, paper_low: true })
      expect(intents).toEqual([
        {
          type: 'notice',
          key: 'terminal_warning:terminal-1',
          audience: 'staff',
          zone: 'self-service',
          deviceId: 'terminal-1',
          texts: { 'zh-CN': '自助终端 1 打印纸将用完，请及时补充', en: '自助终端 1: paper low, please refill' },
          endsAt: null,
        },
      ])
    })

    it('a degraded status with only warning codes tells staff only', () => {
      const { send } = setup()
      const intents = send('terminal-1', { status: 'degraded', fault_codes: 'ink_low,paper_low' })
      expect(intents.map((i) => i.type)).toEqual(['notice', 'notice'])
      const last = ofType(intents, 'notice').at(-1)
      expect(last).toMatchObject({ key: terminalWarningKey('terminal-1'), audience: 'staff' })
      expect(last?.texts.en).toBe('自助终端 1: ink low, please replace; paper low, please refill')
    })

    it('a repeated warning does not post the notice again', () => {
      const { send } = setup()
      send('terminal-1', { ...OK, paper_low: true })
      expect(send('terminal-1', { ...OK, paper_low: true })).toEqual([])
    })

    it('the staff notice is withdrawn when the warning is gone', () => {
      const { send } = setup()
      send('terminal-1', { ...OK, paper_low: true })
      expect(send('terminal-1', OK)).toEqual([{ type: 'withdraw_notice', key: 'terminal_warning:terminal-1' }])
    })

    it('a healthy report with no warning posted emits nothing', () => {
      const { send } = setup()
      expect(send('terminal-1', OK)).toEqual([])
    })
  })

  describe('recovery', () => {
    /** A terminal that reports rarely, so these tests are about settling, not heartbeats. */
    function quietSetup() {
      const t = setup()
      for (const { id } of terminals) t.fake.setHeartbeat(id, 3600)
      return t
    }

    it('healthy for the settle time clears the alarm and withdraws the customer notice', () => {
      const { send, tick, fake } = quietSetup()
      send('terminal-1', PRINTER_CARD)
      tick(1_000)
      fake.at(10_000)
      expect(send('terminal-1', OK)).toEqual([])
      expect(tick(129_999)).toEqual([])
      expect(tick(130_000)).toEqual([
        { type: 'clear', key: 'terminal_fault:terminal-1' },
        { type: 'withdraw_notice', key: 'terminal_fault:terminal-1' },
      ])
      expect(tick(131_000)).toEqual([])
    })

    it('a new fault during the settle time restarts it', () => {
      const { send, tick, fake } = quietSetup()
      send('terminal-1', PRINTER_CARD)
      tick(1_000)
      fake.at(10_000)
      send('terminal-1', OK)
      fake.at(60_000)
      send('terminal-1', PRINTER_CARD)
      fake.at(70_000)
      send('terminal-1', OK)
      expect(tick(130_000)).toEqual([])
      expect(tick(189_999)).toEqual([])
      expect(tick(190_000).map((i) => i.type)).toEqual(['clear', 'withdraw_notice'])
    })

    it('a fault after the episode has cleared is a new episode with a new ticket and notice', () => {
      const { send, tick, fake } = quietSetup()
      send('terminal-1', PRINTER_CARD)
      tick(1_000)
      fake.at(2_000)
      send('terminal-1', OK)
      expect(tick(122_000).map((i) => i.type)).toEqual(['clear', 'withdraw_notice'])
      fake.at(123_000)
      const intents = send('terminal-1', PRINTER_CARD)
      expect(customerNotices(intents)).toHaveLength(1)
      expect(tickets(tick(124_000))).toHaveLength(1)
    })
  })

  describe('offline', () => {
    it('a terminal silent past its heartbeat raises an offline fault with a ticket and the customer notice', () => {
      const { send, tick } = setup([terminals[0] as DeviceInfo])
      send('terminal-1', OK)
      expect(tick(60_000)).toEqual([])
      const intents = tick(60_001)
      const raise = lastRaise(intents)
      expect(raise.details).toEqual({ faultCodes: '', offline: true })
      expect(raise.messages.en).toContain('offline')
      expect(raise.messages['zh-CN']).toContain('离线')
      expect(customerNotices(intents)).toHaveLength(1)
      expect(tickets(intents)).toMatchObject([{ deviceId: 'terminal-1', faultCodes: [] }])
    })

    it('a terminal never heard from is measured from the engine start', () => {
      const { tick } = setup([terminals[0] as DeviceInfo])
      expect(tick(59_000)).toEqual([])
      expect(lastRaise(tick(61_000)).details).toMatchObject({ offline: true })
    })

    it("uses the terminal's own heartbeat", () => {
      const { tick, fake } = setup([terminals[0] as DeviceInfo])
      fake.setHeartbeat('terminal-1', 300)
      expect(tick(299_000)).toEqual([])
      expect(lastRaise(tick(301_000)).messages.en).toContain('300 s')
    })

    it('while offline, stale fault data is not re-read and nothing repeats', () => {
      const { send, tick } = setup([terminals[0] as DeviceInfo])
      send('terminal-1', PRINTER_CARD)
      const raise = lastRaise(tick(61_000))
      expect(raise.details).toEqual({ faultCodes: 'printer,card_reader', offline: true })
      expect(raise.messages.en).not.toContain('printer')
      expect(tick(120_000)).toEqual([])
      expect(tick(600_000)).toEqual([])
    })

    it('coming back reporting a fault continues the episode: updated alarm, no second ticket or notice', () => {
      const { send, tick, fake } = setup([terminals[0] as DeviceInfo])
      expect(tickets(tick(61_000))).toHaveLength(1)
      fake.at(90_000)
      const intents = send('terminal-1', PRINTER_CARD)
      expect(lastRaise(intents).details).toEqual({ faultCodes: 'printer,card_reader', offline: false })
      expect(customerNotices(intents)).toEqual([])
      expect(tickets(tick(91_000))).toEqual([])
    })

    it('coming back healthy settles and clears like any fault', () => {
      const { send, tick, fake } = setup([terminals[0] as DeviceInfo])
      tick(61_000)
      fake.at(90_000)
      expect(send('terminal-1', OK)).toEqual([])
      fake.at(150_000)
      send('terminal-1', OK)
      expect(tick(200_000)).toEqual([])
      expect(tick(210_000).map((i) => i.type)).toEqual(['clear', 'withdraw_notice'])
    })

    it('a terminal that falls silent again while settling is offline again and does not clear', () => {
      const { send, tick, fake } = setup([terminals[0] as DeviceInfo])
      tick(61_000)
      fake.at(90_000)
      send('terminal-1', OK)
      expect(tick(150_000)).toEqual([])
      tick(150_001)
      expect(tick(300_000)).toEqual([])
      fake.at(310_000)
      send('terminal-1', OK)
      fake.at(370_000)
      send('terminal-1', OK)
      expect(tick(429_999)).toEqual([])
      expect(tick(430_000).map((i) => i.type)).toEqual(['clear', 'withdraw_notice'])
    })
  })

  it('after a restart, an alarm still open continues its episode: no second ticket or notice', () => {
    const { send, tick, fake } = setup()
    fake.openAlarm(terminalFaultKey('terminal-1'), {
      conditionActive: true,
      details: { faultCodes: 'printer', offline: false },
    })
    const intents = send('terminal-1', { fault_codes: 'printer', status: 'fault' })
    expect(customerNotices(intents)).toEqual([])
    expect(lastRaise(intents).details).toEqual({ faultCodes: 'printer', offline: false })
    expect(tickets(tick(1_000))).toEqual([])
  })

  it('after a restart, an alarm whose condition had already cleared does not hold back a new episode', () => {
    const { send, tick, fake } = setup()
    fake.openAlarm(terminalFaultKey('terminal-1'), { conditionActive: false })
    expect(customerNotices(send('terminal-1', PRINTER_CARD))).toHaveLength(1)
    expect(tickets(tick(1_000))).toHaveLength(1)
  })
})

describe('terminal fault rule: zone names', () => {
  it('the fault, the offline alarm and the ticket name a listed zone by what staff call it, in each language', () => {
    const { fake, send, tick } = setup()
    fake.nameZone('self-service', { 'zh-CN': '自助服务区', en: 'Self-service area' })
    const fault = lastRaise(send('terminal-1', PRINTER_CARD))
    expect(fault.zone).toBe('self-service')
    expect(fault.messages['zh-CN']).toBe('自助终端故障：自助终端 1（自助服务区）打印机、读卡器故障')
    expect(fault.messages.en).toBe('Terminal fault: 自助终端 1 in Self-service area: printer, card reader')
    const [ticket] = tickets(tick(1_000))
    expect(ticket?.reason.en).toContain('in Self-service area')
    const offline = lastRaise(tick(61_000).filter((i) => i.type !== 'raise' || i.key === 'terminal_fault:terminal-2'))
    expect(offline.messages['zh-CN']).toBe('自助终端离线：自助终端 2（自助服务区）超过 60 秒未上报')
    expect(offline.messages.en).toBe('Terminal offline: 自助终端 2 in Self-service area not heard from for over 60 s')
  })
})
