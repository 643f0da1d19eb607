import { describe, expect, it } from 'vitest'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createPowerRule, powerKey } from './power.js'

const T0 = Date.parse('2026-07-01T09:00:00+08:00')
const devices: DeviceInfo[] = [
  { id: 'ups-main', type: 'power', zone: 'hall', name: 'Main UPS' },
  { id: 'ups-back', type: 'power', zone: 'backroom', name: 'Back UPS' },
]

/** A power rule over a fake view; `send` records several metrics of one report and runs the rule on the last. */
function setup() {
  const fake = fakeRuleView(devices, T0)
  const rule = createPowerRule({ enabled: true })
  function send(deviceId: string, metrics: Record<string, ReadingValue>): readonly Intent[] {
    const device = devices.find((d) => d.id === deviceId)
    if (!device) throw new Error(`unknown device ${deviceId}`)
    let out: readonly Intent[] = []
    for (const [metric, value] of Object.entries(metrics)) {
      fake.record(deviceId, metric, value)
      const reading = { store: 'test-store', deviceId, deviceType: device.type, zone: device.zone, metric, value }
      out = rule.onReading({ ...reading, ts: T0, quality: 'good' }, fake.view)
    }
    return out
  }
  return { fake, send }
}

function raiseOf(intents: readonly Intent[]): RaiseIntent {
  const raise = intents.find((i) => i.type === 'raise')
  if (raise?.type !== 'raise') throw new Error(`expected a raise, got ${JSON.stringify(intents)}`)
  return raise
}

describe('power rule', () => {
  it('mains lost raises a major, non-latching power outage alarm with the power-cut checklist', () => {
    const raise = raiseOf(setup().send('ups-main', { mains_ok: false }))
    expect(raise).toMatchObject({
      key: 'power_outage:ups-main',
      kind: 'power_outage',
      severity: 'major',
      latching: false,
      silent: false,
      deviceId: 'ups-main',
      zone: 'hall',
      details: { mainsOk: false },
    })
    expect(raise.messages.en).toBe('Power cut at Main UPS in zone hall: mains power lost')
    expect(raise.messages['zh-CN']).toBe('停电告警：hall 区 Main UPS 市电中断')
    expect(raise.checklist['zh-CN'][0]).toContain('网管维护中心')
    expect(raise.checklist['zh-CN'][2]).toContain('10086')
    expect(raise.checklist.en).toHaveLength(5)
  })

  it('a power cut also posts an apologetic store-wide notice for customers', () => {
    const notice = setup()
      .send('ups-main', { mains_ok: false })
      .find((i) => i.type === 'notice')
    expect(notice).toMatchObject({
      key: 'power_outage:ups-main',
      audience: 'customer',
      zone: 'hall',
      deviceId: null,
      endsAt: null,
    })
    if (notice?.type !== 'notice') throw new Error('expected a notice')
    expect(notice.texts['zh-CN']).toContain('由于供电故障，部分业务暂停办理，我们正在全力抢修，给您带来不便深表歉意')
    expect(notice.texts.en).toContain('Due to a power failure some services are unavailable')
  })

  it('a UPS running on battery raises the alarm even when mains is reported present', () => {
    const raise = raiseOf(setup().send('ups-main', { mains_ok: true, on_battery: true }))
    expect(raise.messages.en).toContain('UPS on battery')
  })

  it('the UPS battery charge and runtime left go into the details and the message', () => {
    const raise = raiseOf(
      setup().send('ups-main', { battery_pct: 85, runtime_min: 42, mains_ok: false, on_battery: true }),
    )
    expect(raise.details).toEqual({ mainsOk: false, onBattery: true, batteryPct: 85, runtimeMin: 42 })
    expect(raise.messages.en).toContain('UPS on battery, battery 85%, about 42 min runtime left')
    expect(raise.messages['zh-CN']).toContain('UPS 电池供电，电量 85%，约可运行 42 分钟')
  })

  it('reports of other metrics, such as the UPS temperature, change nothing', () => {
    const { send } = setup()
    send('ups-main', { mains_ok: false })
    expect(send('ups-main', { temperature: 31 })).toEqual([])
  })

  it('normal reports raise nothing', () => {
    expect(setup().send('ups-main', { mains_ok: true, on_battery: false, battery_pct: 100 })).toEqual([])
  })

  it('mains back and off battery clears the alarm and withdraws the notice, once', () => {
    const { send } = setup()
    send('ups-main', { mains_ok: false, on_battery: true })
    expect(raiseOf(send('ups-main', { mains_ok: true })).key).toBe(powerKey('ups-main'))
    const key = powerKey('ups-main')
    expect(send('ups-main', { on_battery: false })).toEqual([
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ])
    expect(send('ups-main', { battery_pct: 99 })).toEqual([])
  })

  it('an outage at one monitor leaves the others alone', () => {
    const { send } = setup()
    send('ups-main', { mains_ok: false })
    expect(send('ups-back', { mains_ok: true })).toEqual([])
  })

  it('after a restart, recovery still clears an alarm left open', () => {
    const { fake, send } = setup()
    const key = powerKey('ups-main')
    fake.openAlarm(key, { conditionActive: true })
    expect(send('ups-main', { mains_ok: true })).toEqual([
      { type: 'clear', key },
      { type: 'withdraw_notice', key },
    ])
  })
})

describe('power rule: zone names', () => {
  it('names a listed zone by what staff call it, in each language', () => {
    const { fake, send } = setup()
    fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
    const raise = raiseOf(send('ups-main', { mains_ok: false }))
    expect(raise.zone).toBe('hall')
    expect(raise.messages.en).toBe('Power cut at Main UPS in Sales hall: mains power lost')
    expect(raise.messages['zh-CN']).toBe('停电告警：营业厅 Main UPS 市电中断')
  })

  it('the customer notice says when power is back once the centre estimates it, and nothing once it is back', () => {
    const { fake, send } = setup()
    const rule = createPowerRule({ enabled: true })
    const key = powerKey('ups-main')
    fake.record('ups-main', 'mains_ok', false)
    const reading = { store: 'test-store', deviceId: 'ups-main', deviceType: 'power' as const, zone: 'hall' }
    rule.onReading({ ...reading, metric: 'mains_ok', value: false, ts: T0, quality: 'good' }, fake.view)
    fake.openAlarm(key, { id: 'alarm-1', conditionActive: true })
    expect(rule.onTick?.(fake.view)).toEqual([])

    const backAt = Date.parse('2026-07-01T12:00:00+08:00')
    fake.setEstimate(key, backAt)
    const [notice, ...more] = rule.onTick?.(fake.view) ?? []
    expect(more).toEqual([])
    expect(notice).toMatchObject({ type: 'notice', key, audience: 'customer', expectedRecoveryAt: backAt })
    expect(notice?.type === 'notice' && notice.texts['zh-CN']).toContain('预计 7月1日 12:00 恢复。')
    expect(notice?.type === 'notice' && notice.texts['zh-CN']).toContain('前往附近其它营业厅办理')
    expect(rule.onTick?.(fake.view)).toEqual([])

    fake.closeAlarm(key)
    fake.setEstimate(key, backAt + 3600_000)
    expect(rule.onTick?.(fake.view)).toEqual([])
    expect(send('ups-back', { mains_ok: true })).toEqual([])
  })
})
