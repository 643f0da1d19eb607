import { describe, expect, it } from 'vitest'
import type { ReadingEvent } from '../core/events.js'
import { formatLocalTime, truncateUtf8 } from './message.js'
import { consoleLink, isRenderedMessage, renderEvent, UNACKED_REMINDER_BY } from './render.js'
import { alarmEvent, floodEvent, noticeEvent, reportEvent, robberyEvent, ticketEvent } from './testing/sampleEvents.js'

const zh = { locale: 'zh-CN', consoleUrl: 'https://gw.example/console/', storeName: '西单营业厅' } as const
const en = { locale: 'en', consoleUrl: 'https://gw.example/console', storeName: 'Xidan store' } as const

function render(...args: Parameters<typeof renderEvent>) {
  const message = renderEvent(...args)
  if (message === null) throw new Error('nothing rendered')
  return message
}

describe('rendering an alarm', () => {
  it('a fire alarm in Chinese lists its facts, the numbered checklist and the console link', () => {
    const m = render(alarmEvent(), zh)
    expect(m.text).toBe(
      [
        '【紧急】火警 · 新告警',
        '营业厅烟感报警',
        '门店：西单营业厅',
        '级别：紧急',
        '类型：火警',
        '区域：hall',
        '设备：smoke-1',
        '发生时间：2024-05-01 10:00:00',
        '处置步骤：',
        '1. 立即拨打 119',
        '2. 组织顾客疏散',
        '打开值班台：https://gw.example/console/alarms/a-1',
      ].join('\n'),
    )
    expect(m.markdown).toBe(
      '### 【紧急】火警 · 新告警\n\n' +
        '**营业厅烟感报警**  \n门店：西单营业厅  \n级别：紧急  \n类型：火警  \n区域：hall  \n设备：smoke-1  \n' +
        '发生时间：2024-05-01 10:00:00\n\n' +
        '**处置步骤**\n1. 立即拨打 119\n2. 组织顾客疏散\n\n' +
        '[打开值班台](https://gw.example/console/alarms/a-1)',
    )
    expect(m.short).toBe(
      '【紧急】火警 · 新告警：营业厅烟感报警（西单营业厅，hall，smoke-1，2024-05-01 10:00:00） https://gw.example/console/alarms/a-1',
    )
    expect(m.confidential).toBe(false)
  })

  it('a fire alarm in English reads the same in English', () => {
    const m = render(alarmEvent(), en)
    expect(m.text).toBe(
      [
        '[Critical] Fire · raised',
        'Smoke detected in the hall',
        'Store: Xidan store',
        'Severity: Critical',
        'Kind: Fire',
        'Zone: hall',
        'Device: smoke-1',
        'Raised at: 2024-05-01 10:00:00',
        'What to do:',
        '1. Call 119 at once',
        '2. Evacuate customers',
        'Open the staff console: https://gw.example/console/alarms/a-1',
      ].join('\n'),
    )
    expect(m.short).toBe(
      '[Critical] Fire · raised: Smoke detected in the hall (Xidan store, hall, smoke-1, 2024-05-01 10:00:00) https://gw.example/console/alarms/a-1',
    )
  })

  it('Chinese is the default locale and Asia/Shanghai the default time zone', () => {
    const m = render(alarmEvent())
    expect(m.locale).toBe('zh-CN')
    expect(m.text.split('\n')[0]).toBe('【紧急】火警 · 新告警')
    expect(m.text).toContain('发生时间：2024-05-01 10:00:00')
    expect(m.link).toBeNull()
    expect(m.text).not.toContain('值班台')
  })

  it("times are shown in the store's time zone, not the host's", () => {
    expect(render(alarmEvent(), { timeZone: 'Europe/London' }).text).toContain('发生时间：2024-05-01 03:00:00')
    expect(formatLocalTime('2024-12-31T16:00:00.000Z', 'Asia/Shanghai')).toBe('2025-01-01 00:00:00')
  })

  it('a silent robbery alarm is marked confidential, for security staff only, in both languages', () => {
    const z = render(robberyEvent(), zh)
    expect(z.confidential).toBe(true)
    expect(z.title).toBe('【保密】【紧急】抢劫报警 · 新告警')
    expect(z.text).toBe(
      [
        '【保密】【紧急】抢劫报警 · 新告警',
        '柜台紧急按钮触发',
        '门店：西单营业厅',
        '级别：紧急',
        '类型：抢劫报警',
        '区域：counter',
        '设备：panic-1',
        '发生时间：2024-05-01 10:00:00',
        '处置步骤：',
        '1. 拨打 110',
        '2. 避免正面冲突',
        '保密：静默报警，仅限安保人员处置；请勿在顾客可见的屏幕、广播或语音设备上显示或播报。',
        '打开值班台：https://gw.example/console/alarms/a-2',
      ].join('\n'),
    )
    expect(z.markdown).toContain(
      '\n\n> 保密：静默报警，仅限安保人员处置；请勿在顾客可见的屏幕、广播或语音设备上显示或播报。\n\n',
    )
    expect(z.short.startsWith('【保密】')).toBe(true)
    const e = render(robberyEvent(), en)
    expect(e.title).toBe('[CONFIDENTIAL] [Critical] Robbery alarm · raised')
    expect(e.text).toContain(
      'Confidential: silent alarm for security staff only; do not show or announce it on any customer-facing screen, speaker or voice device.',
    )
  })

  it('an acknowledgement names who did it and drops the checklist; machine actors are not named', () => {
    const acked = alarmEvent(
      { state: 'active_acked', escalationLevel: 1 },
      { action: 'acked', by: 'alice', at: '2024-05-01T02:03:04.000Z' },
    )
    expect(render(acked, en).text).toBe(
      [
        '[Critical] Fire · acknowledged',
        'Smoke detected in the hall',
        'Store: Xidan store',
        'Severity: Critical',
        'Kind: Fire',
        'Zone: hall',
        'Device: smoke-1',
        'Raised at: 2024-05-01 10:00:00',
        'At: 2024-05-01 10:03:04',
        'By: alice',
        'Escalation level: 1',
        'Open the staff console: https://gw.example/console/alarms/a-1',
      ].join('\n'),
    )
    expect(render(alarmEvent({}, { action: 'escalated', by: 'rule:fire' }), zh).text).not.toContain('处理人')
  })

  it('device names from the config are shown beside the id', () => {
    const deviceNames = { 'smoke-1': '大厅烟感' }
    expect(render(alarmEvent(), { deviceNames }).text).toContain('设备：大厅烟感（smoke-1）')
    expect(render(alarmEvent(), { locale: 'en', deviceNames }).text).toContain('Device: 大厅烟感 (smoke-1)')
  })
})

describe('rendering notices, tickets and alarm floods', () => {
  it('a customer notice carries its text, place and start time', () => {
    expect(render(noticeEvent(), zh).text).toBe(
      [
        '【顾客公告】已发布',
        '本机暂停服务，我们正在尽快维修，请到柜台办理。',
        '门店：西单营业厅',
        '区域：self-service',
        '设备：t-1',
        '开始：2024-05-01 10:00:00',
        '打开值班台：https://gw.example/console/notices/n-1',
      ].join('\n'),
    )
    expect(render(noticeEvent({ audience: 'staff', zone: null, deviceId: null }), en).text.split('\n')[0]).toBe(
      '[Staff notice] posted',
    )
  })

  it('a ticket reminder shows the due time and the share of the SLA used', () => {
    const reminder = ticketEvent({ action: 'reminder', fraction: 0.5 })
    expect(render(reminder, zh).text).toBe(
      [
        '【报修单】时限提醒',
        '自助终端故障',
        '门店：西单营业厅',
        '设备：t-1',
        '区域：self-service',
        '故障码：E101, PRN_JAM',
        '状态：待受理',
        '修复时限：2024-05-06 21:00:00',
        '已用时限：50%',
        '打开值班台：https://gw.example/console/tickets/tk-1',
      ].join('\n'),
    )
    expect(render(reminder, en).short).toBe(
      '[Repair ticket] reminder: Self-service terminal fault (Xidan store, t-1, 2024-05-06 21:00:00) https://gw.example/console/tickets/tk-1',
    )
  })

  it('an alarm flood is one summary with counts by kind', () => {
    expect(render(floodEvent(), zh).text).toBe(
      [
        '【告警泛滥】开始',
        '600 秒内 12 条告警',
        '门店：西单营业厅',
        '事件时间：2024-05-01 10:00:00',
        '按类型：火警 2，设备故障 10',
        '打开值班台：https://gw.example/console/alarms',
      ].join('\n'),
    )
    expect(render(floodEvent(), en).text.split('\n').slice(0, 2)).toEqual([
      '[Alarm flood] started',
      '12 alarms within 600 s',
    ])
  })

  it('readings and other events are not rendered', () => {
    const reading = { type: 'reading' } as ReadingEvent
    expect(renderEvent(reading)).toBeNull()
  })
})

describe('rendered messages as outbox payloads', () => {
  it('survive a JSON round trip and are recognised afterwards', () => {
    const stored = JSON.parse(JSON.stringify(render(alarmEvent(), zh)))
    expect(isRenderedMessage(stored)).toBe(true)
    expect(isRenderedMessage({ title: 'x' })).toBe(false)
  })

  it('console links escape ids and tolerate a trailing slash', () => {
    expect(consoleLink('https://gw/console/', 'alarms', 'a/b c')).toBe('https://gw/console/alarms/a%2Fb%20c')
  })

  it('texts are cut on a character boundary to a byte budget', () => {
    const cut = truncateUtf8('火警火警火警', 10)
    expect(cut).toBe('火警…')
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(10)
    expect(truncateUtf8('short', 10)).toBe('short')
  })
})

describe('rendering a reminder that an alarm is still unacknowledged', () => {
  it('says so in the title and tells how long it has waited, with the checklist again', () => {
    const event = alarmEvent({}, { action: 'escalated', by: UNACKED_REMINDER_BY, at: '2024-05-01T03:05:00.000Z' })
    const m = render(event, zh)
    expect(m.title).toBe('【紧急】火警 · 仍未确认')
    expect(m.text).toContain('未确认时长：1 小时 5 分钟')
    expect(m.checklist).toEqual(['立即拨打 119', '组织顾客疏散'])
    expect(render(event, en).text).toContain('Unacknowledged for: 1 h 5 min')
  })

  it('a rule escalation (confirmed fire) is still shown as escalated', () => {
    const m = render(alarmEvent({ escalationLevel: 1 }, { action: 'escalated', by: 'rule:fire' }), zh)
    expect(m.title).toBe('【紧急】火警 · 已升级')
    expect(m.text).not.toContain('未确认时长')
  })
})

describe('rendering the pre-opening report', () => {
  it('counts and lists what to check before opening, overdue tickets marked, robbery left out', () => {
    const m = render(reportEvent(), zh)
    expect(m.title).toBe('【营业前检查】2024-05-06 09:00:00')
    expect(m.summary).toBe('设备 3 台（故障 1），未处理告警 1 条，报修单 1 张（超时 1）')
    expect(m.checklist).toEqual([
      'leak-1 · entrance：no report for 2 h',
      '【紧急】火警 · hall · smoke-1',
      '【报修单】t-1 · 已超时 · 修复时限 2024-05-06 08:00:00',
    ])
    expect(m.text).not.toMatch(/抢劫|robbery|panic/i)
    expect(m.link?.url).toBe('https://gw.example/console/reports')
    expect(m.confidential).toBe(false)
  })

  it('says all is clear when there is nothing to check, and marks a late report', () => {
    const m = render(
      reportEvent({
        late: true,
        devices: [],
        alarms: [],
        tickets: [],
        summary: { devices: 0, devicesFaulty: 0, openAlarms: 0, openTickets: 0, overdueTickets: 0 },
      }),
      en,
    )
    expect(m.summary).toBe('0 devices (0 faulty), 0 open alarms, 0 open tickets (0 overdue)')
    expect(m.checklist).toEqual([])
    expect(m.notes).toEqual(['Late: made after its planned time', 'All devices healthy, no open alarms or tickets'])
  })
})

describe('rendering zone names', () => {
  const zoneNames = {
    hall: { 'zh-CN': '营业厅', en: 'Sales hall' },
    'self-service': { 'zh-CN': '自助服务区', en: 'Self-service area' },
    entrance: { 'zh-CN': '入口', en: 'Entrance' },
  }

  it('an alarm, notice and ticket show the zone by what staff call it, in the message language', () => {
    expect(render(alarmEvent(), { ...zh, zoneNames }).text).toContain('区域：营业厅')
    const alarm = render(alarmEvent(), { ...en, zoneNames })
    expect(alarm.text).toContain('Zone: Sales hall')
    expect(alarm.short).toContain('Sales hall')
    expect(render(noticeEvent(), { ...zh, zoneNames }).text).toContain('区域：自助服务区')
    expect(render(noticeEvent(), { ...en, zoneNames }).short).toContain('Self-service area')
    expect(render(ticketEvent(), { ...en, zoneNames }).text).toContain('Zone: Self-service area')
  })

  it('the pre-opening report lines name the zones; a zone not listed keeps its id', () => {
    const m = render(reportEvent(), { ...en, zoneNames: { hall: zoneNames.hall } })
    expect(m.checklist).toContain('leak-1 · entrance: no report for 2 h')
    expect(m.checklist.some((line) => line.includes(' · Sales hall · smoke-1'))).toBe(true)
    const zhReport = render(reportEvent(), { ...zh, zoneNames })
    expect(zhReport.checklist).toContain('leak-1 · 入口：no report for 2 h')
    expect(zhReport.checklist).toContain('【紧急】火警 · 营业厅 · smoke-1')
  })
})
