import { describe, expect, it } from 'vitest'
import type { Alarm } from '../gateway/core/alarm.js'
import type { Intent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createSystemRule, systemKey } from './system.js'

const T0 = Date.parse('2026-07-01T09:00:00+08:00')
const MIN = 60_000
const devices: DeviceInfo[] = [{ id: 'crm-probe', type: 'business_system', zone: 'hall', name: 'CRM probe' }]
const key = systemKey('crm-probe')

/** A system rule over a fake view; times are ms after T0. */
function setup() {
  const fake = fakeRuleView(devices, T0)
  const rule = createSystemRule({ enabled: true, reportMin: 5, clearMin: 30 })
  function send(value: ReadingValue, atMs: number, metric = 'up'): readonly Intent[] {
    fake.at(T0 + atMs)
    fake.record('crm-probe', metric, value)
    const reading = { store: 'test-store', deviceId: 'crm-probe', deviceType: 'business_system' as const, zone: 'hall' }
    return rule.onReading({ ...reading, metric, value, ts: T0 + atMs, quality: 'good' }, fake.view)
  }
  function tick(atMs: number): readonly Intent[] {
    fake.at(T0 + atMs)
    return rule.onTick?.(fake.view) ?? []
  }
  /** The alarm as the alarm service would show it, raised at T0. */
  function alarmOpen(over: Partial<Alarm> = {}) {
    const alarm: Partial<Alarm> = {
      id: 'alarm-1',
      state: 'active_unacked',
      conditionActive: true,
      raisedAt: new Date(T0).toISOString(),
      escalationLevel: 0,
      ...over,
    }
    fake.openAlarm(key, alarm)
  }
  return { fake, send, tick, alarmOpen }
}

const levels = (intents: readonly Intent[]) => intents.flatMap((i) => (i.type === 'escalate' ? [i.level] : []))

describe('system rule: faults', () => {
  it('the business system reported down raises a major, non-latching system fault with the seed checklist', () => {
    const [raise] = setup().send(false, 0)
    expect(raise).toMatchObject({
      type: 'raise',
      key: 'system_fault:crm-probe',
      kind: 'system_fault',
      severity: 'major',
      latching: false,
      silent: false,
      deviceId: 'crm-probe',
      zone: 'hall',
      details: { cause: 'down' },
    })
    if (raise?.type !== 'raise') throw new Error('expected a raise')
    expect(raise.messages.en).toContain('CRM probe in zone hall reports the system is down')
    expect(raise.checklist['zh-CN'][0]).toContain('5 分钟内报告自有厅值班经理')
    expect(raise.checklist.en[4]).toContain('30 minutes')
  })

  it('a system fault posts an apologetic store-wide fault notice for customers', () => {
    const notice = setup()
      .send(false, 0)
      .find((i) => i.type === 'notice')
    expect(notice).toMatchObject({ key, audience: 'customer', zone: 'hall', deviceId: null, endsAt: null })
    if (notice?.type !== 'notice') throw new Error('expected a notice')
    expect(notice.texts['zh-CN']).toContain('系统故障，我们正在紧急处理')
    expect(notice.texts.en).toContain('we apologise for the inconvenience')
  })

  it('a probe silent for longer than its heartbeat raises a system fault', () => {
    const { send, tick } = setup()
    send(true, 0)
    expect(tick(60_000)).toEqual([])
    const [raise, notice] = tick(60_001)
    expect(raise).toMatchObject({ type: 'raise', key, details: { cause: 'no_heartbeat', heartbeatSec: 60 } })
    expect(notice).toMatchObject({ type: 'notice', key, audience: 'customer' })
    expect(tick(70_000)).toEqual([])
  })

  it('a probe never heard from is silent from the moment the gateway started', () => {
    const { fake, tick } = setup()
    fake.setHeartbeat('crm-probe', 30)
    expect(tick(30_000)).toEqual([])
    expect(tick(30_001)[0]).toMatchObject({ type: 'raise', key, details: { cause: 'no_heartbeat', heartbeatSec: 30 } })
  })

  it('the system back up clears the fault and withdraws the notice, once', () => {
    const { send } = setup()
    send(false, 0)
    expect(send(true, MIN)).toEqual([
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ])
    expect(send(true, 2 * MIN)).toEqual([])
  })

  it('any report from a silent probe ends the silence fault', () => {
    const { send, tick } = setup()
    send(true, 0)
    tick(61_000)
    expect(send(45, 62_000, 'latency_ms')).toEqual([
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ])
  })

  it('after a restart, recovery still clears a fault left open', () => {
    const { send, alarmOpen } = setup()
    alarmOpen()
    expect(send(true, 0)).toEqual([
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ])
  })
})

describe('system rule: 5- and 30-minute reminders', () => {
  it('a fault not acknowledged within 5 minutes is escalated once: not reported to the duty manager', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen()
    expect(levels(tick(5 * MIN - 1))).toEqual([])
    const reminder = tick(5 * MIN).find((i) => i.type === 'escalate')
    expect(reminder).toMatchObject({ type: 'escalate', key, level: 1, details: { withinMin: 5 } })
    if (reminder?.type !== 'escalate') throw new Error('expected an escalation')
    expect(reminder.messages.en).toContain('not reported to the duty manager within 5 minutes')
    expect(reminder.messages['zh-CN']).toContain('5 分钟内未报告值班经理')
    expect(levels(tick(5 * MIN + 1000))).toEqual([])
  })

  it('an acknowledged fault gets no 5-minute reminder', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen({ state: 'active_acked' })
    expect(levels(tick(6 * MIN))).toEqual([])
  })

  it('a fault not cleared within 30 minutes is escalated once to the supervising department, acknowledged or not', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen({ state: 'active_acked', escalationLevel: 1 })
    expect(levels(tick(30 * MIN - 1))).toEqual([])
    const reminder = tick(30 * MIN).find((i) => i.type === 'escalate')
    expect(reminder).toMatchObject({ type: 'escalate', key, level: 2, details: { withinMin: 30 } })
    if (reminder?.type !== 'escalate') throw new Error('expected an escalation')
    expect(reminder.messages.en).toContain('not cleared within 30 minutes: escalate to the supervising department')
    expect(reminder.messages['zh-CN']).toContain('30 分钟内未排除')
    expect(levels(tick(31 * MIN))).toEqual([])
  })

  it('each reminder goes out once per fault even while the alarm service has not yet shown it', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen()
    expect(levels(tick(5 * MIN))).toEqual([1])
    expect(levels(tick(30 * MIN))).toEqual([2])
    expect(levels(tick(40 * MIN))).toEqual([])
  })

  it('a new fault on the same probe gets its own reminders', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen()
    tick(5 * MIN)
    alarmOpen({ id: 'alarm-2', raisedAt: new Date(T0 + 10 * MIN).toISOString() })
    expect(levels(tick(15 * MIN))).toEqual([1])
  })

  it('a cleared fault gets no reminders', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen({ state: 'cleared_unacked', conditionActive: false })
    expect(levels(tick(31 * MIN))).toEqual([])
  })

  it('a fault already escalated by the alarm service is not escalated again', () => {
    const { tick, alarmOpen } = setup()
    alarmOpen({ escalationLevel: 2 })
    expect(levels(tick(31 * MIN))).toEqual([])
  })
})

describe('system rule: zone names', () => {
  it('names a listed zone by what staff call it, in each language', () => {
    const { fake, send } = setup()
    fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
    const [raise] = send(false, 0)
    if (raise?.type !== 'raise') throw new Error('expected a raise')
    expect(raise.zone).toBe('hall')
    expect(raise.messages['zh-CN']).toBe('业务系统故障：营业厅 CRM probe 报告业务系统无法使用')
    expect(raise.messages.en).toBe('Business system fault: CRM probe in Sales hall reports the system is down')
  })

  it('the customer notice says when the system is back once the centre estimates it, from the next tick', () => {
    const { fake, send, tick, alarmOpen } = setup()
    const first = send(false, 0).find((i) => i.type === 'notice')
    expect(first?.type === 'notice' && first.texts['zh-CN']).toContain('恢复时间确定后我们将第一时间公布。')
    expect(first).not.toHaveProperty('expectedRecoveryAt')
    alarmOpen()
    expect(tick(1000).filter((i) => i.type === 'notice')).toEqual([])

    const backAt = Date.parse('2026-07-01T10:30:00+08:00')
    fake.setEstimate(key, backAt)
    const updated = tick(2000).filter((i) => i.type === 'notice')
    expect(updated).toEqual([expect.objectContaining({ key, audience: 'customer', expectedRecoveryAt: backAt })])
    expect(updated[0]?.type === 'notice' && updated[0].texts['zh-CN']).toContain('预计 7月1日 10:30 恢复。')
    expect(updated[0]?.type === 'notice' && updated[0].texts.en).toContain('We expect service back by 10:30 on 1 Jul.')
    // said once; a reading still down keeps saying it
    expect(tick(3000).filter((i) => i.type === 'notice')).toEqual([])
    expect(send(false, 4000).find((i) => i.type === 'notice')).toMatchObject({ expectedRecoveryAt: backAt })

    // the centre takes it back
    fake.setEstimate(key, null)
    const back = tick(5000).filter((i) => i.type === 'notice')
    expect(back[0]?.type === 'notice' && back[0].texts.en).toContain('We will post the expected recovery time')
  })
})
