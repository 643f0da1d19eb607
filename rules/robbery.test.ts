import { describe, expect, it } from 'vitest'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createRobberyRule, robberyKey } from './robbery.js'

const buttons: DeviceInfo[] = [
  { id: 'panic-counter-1', type: 'panic_button', zone: 'counter', name: 'Counter panic button' },
  { id: 'panic-office', type: 'panic_button', zone: 'office', name: 'Office panic button' },
]

function setup() {
  const fake = fakeRuleView(buttons)
  const rule = createRobberyRule({ enabled: true })
  /** What the engine does: record the value, then hand the reading to the rule. */
  const send = (deviceId: string, metric: string, value: ReadingValue): readonly Intent[] => {
    fake.record(deviceId, metric, value)
    const zone = buttons.find((b) => b.id === deviceId)?.zone ?? 'unknown'
    const reading = { store: 'test-store', deviceId, deviceType: 'panic_button' as const, zone, metric, value }
    return rule.onReading({ ...reading, ts: fake.view.now(), quality: 'good' }, fake.view)
  }
  return { fake, rule, send }
}

const raiseIn = (intents: readonly Intent[]): RaiseIntent => {
  const raise = intents.find((i): i is RaiseIntent => i.type === 'raise')
  if (!raise) throw new Error(`expected a raise in ${JSON.stringify(intents)}`)
  return raise
}

describe('robbery rule', () => {
  it('a pressed panic button raises a critical, silent, latching robbery alarm only a manager may reset, with a note', () => {
    const { send } = setup()
    const [intent] = send('panic-counter-1', 'pressed', true)
    expect(intent).toMatchObject({
      type: 'raise',
      key: 'robbery:panic-counter-1',
      kind: 'robbery',
      severity: 'critical',
      latching: true,
      silent: true,
      shelvable: false,
      resetPolicy: { role: 'manager', noteRequired: true },
      deviceId: 'panic-counter-1',
      zone: 'counter',
    })
  })

  it('the alarm message says which button was pressed, in Chinese and English', () => {
    const { send } = setup()
    const raise = raiseIn(send('panic-office', 'pressed', true))
    expect(raise.messages.en).toContain('Office panic button')
    expect(raise.messages.en).toContain('pressed')
    expect(raise.messages['zh-CN']).toContain('Office panic button')
    expect(raise.messages['zh-CN']).toContain('被按下')
    expect(raise.messages.en).not.toContain('cut')
  })

  it('carries the emergency plan for robbery: call 110, avoid confrontation, protect the scene, call 120', () => {
    const { send } = setup()
    const { checklist } = raiseIn(send('panic-counter-1', 'pressed', true))
    for (const lang of ['zh-CN', 'en'] as const) {
      const steps = checklist[lang].join('\n')
      expect(steps).toContain('110')
      expect(steps).toContain('120')
    }
    expect(checklist['zh-CN'].join('')).toContain('避免与歹徒')
    expect(checklist['zh-CN'].join('')).toContain('车牌号')
    expect(checklist['zh-CN'].join('')).toContain('保密')
    expect(checklist.en.join(' ')).toContain('confrontation')
    expect(checklist.en).toHaveLength(checklist['zh-CN'].length)
  })

  it.each(['emergency', 'sos', 'panic'])('a zigbee2mqtt "%s" action is a press', (action) => {
    const { send } = setup()
    expect(raiseIn(send('panic-counter-1', 'action', action))).toMatchObject({
      key: robberyKey('panic-counter-1'),
      silent: true,
      details: { trigger: 'action', loopCut: false },
    })
  })

  it('a zigbee2mqtt action is an event: the latched alarm records at once that the press is over, so a manager can reset it', () => {
    const { send } = setup()
    expect(send('panic-counter-1', 'action', 'emergency').map((i) => i.type)).toEqual(['raise', 'clear'])
  })

  it('an action while the wired button is still held down does not mark the condition gone', () => {
    const { send } = setup()
    send('panic-counter-1', 'pressed', true)
    expect(send('panic-counter-1', 'action', 'sos').map((i) => i.type)).toEqual(['raise'])
  })

  it('other button actions, such as a single click, are not a robbery', () => {
    const { send } = setup()
    expect(send('panic-counter-1', 'action', 'single')).toEqual([])
    expect(send('panic-counter-1', 'action', 'double')).toEqual([])
  })

  it('a cut panic loop raises the robbery alarm, and the message says the loop was cut', () => {
    const { send } = setup()
    const raise = raiseIn(send('panic-counter-1', 'loop_ok', false))
    expect(raise).toMatchObject({ kind: 'robbery', severity: 'critical', silent: true, latching: true })
    expect(raise.details).toEqual({ trigger: 'loop_cut', loopCut: true })
    expect(raise.messages.en).toContain('Counter panic button')
    expect(raise.messages.en).toContain('loop is cut')
    expect(raise.messages['zh-CN']).toContain('回路断开')
    expect(raise.messages.en).not.toContain('pressed')
  })

  it('releasing the button clears the condition; the latched alarm waits for a manager', () => {
    const { fake, send } = setup()
    send('panic-counter-1', 'pressed', true)
    fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
    expect(send('panic-counter-1', 'pressed', false)).toEqual([{ type: 'clear', key: 'robbery:panic-counter-1' }])
  })

  it('a repaired loop clears the condition', () => {
    const { fake, send } = setup()
    send('panic-counter-1', 'loop_ok', false)
    fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
    expect(send('panic-counter-1', 'loop_ok', true)).toEqual([{ type: 'clear', key: 'robbery:panic-counter-1' }])
  })

  it('releasing the button does not clear while its loop is still cut', () => {
    const { fake, send } = setup()
    send('panic-counter-1', 'loop_ok', false)
    send('panic-counter-1', 'pressed', true)
    fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
    expect(send('panic-counter-1', 'pressed', false)).toEqual([])
  })

  it('a repaired loop does not clear while the button is still pressed', () => {
    const { fake, send } = setup()
    send('panic-counter-1', 'pressed', true)
    send('panic-counter-1', 'loop_ok', false)
    fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
    expect(send('panic-counter-1', 'loop_ok', true)).toEqual([])
  })

  it('a pressed button with a cut loop says both', () => {
    const { send } = setup()
    send('panic-counter-1', 'loop_ok', false)
    const raise = raiseIn(send('panic-counter-1', 'pressed', true))
    expect(raise.messages.en).toContain('pressed')
    expect(raise.messages.en).toContain('loop is cut')
    expect(raise.details).toEqual({ trigger: 'pressed', loopCut: true })
  })

  it('routine "not pressed, loop intact" reports with no alarm open clear nothing', () => {
    const { send } = setup()
    expect(send('panic-counter-1', 'pressed', false)).toEqual([])
    expect(send('panic-counter-1', 'loop_ok', true)).toEqual([])
  })

  it("one button does not clear another button's alarm", () => {
    const { fake, send } = setup()
    send('panic-counter-1', 'pressed', true)
    fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
    expect(send('panic-office', 'pressed', false)).toEqual([])
  })

  it('tamper and battery on panic hardware are left to the device-health rule', () => {
    const { send } = setup()
    expect(send('panic-counter-1', 'tamper', true)).toEqual([])
    expect(send('panic-counter-1', 'battery', 3)).toEqual([])
    expect(send('panic-counter-1', 'battery_low', true)).toEqual([])
  })

  it('is silent: whatever a panic button reports, it never asks for a siren, strobe or notice', () => {
    const { fake, send, rule } = setup()
    const readings: [string, ReadingValue][] = [
      ['pressed', true],
      ['pressed', false],
      ['loop_ok', false],
      ['loop_ok', true],
      ...[...['emergency', 'sos', 'panic', 'single', 'arm_all_zones', 'disarm', '']].map(
        (a): [string, ReadingValue] => ['action', a],
      ),
      ['tamper', true],
      ['tamper', false],
      ['battery', 1],
      ['battery_low', true],
      ['linkquality', 80],
      ['pressed', 'yes'],
      ['loop_ok', 0],
    ]
    const seen = new Set<string>()
    for (const open of [false, true]) {
      if (open) fake.openAlarm(robberyKey('panic-counter-1'), { conditionActive: true })
      for (const [metric, value] of readings) for (const i of send('panic-counter-1', metric, value)) seen.add(i.type)
      fake.at(fake.view.now() + 60_000)
      for (const i of rule.onTick?.(fake.view) ?? []) seen.add(i.type)
    }
    expect(seen).toEqual(new Set(['raise', 'clear']))
  })
})

describe('robbery rule: zone names', () => {
  it('names a listed zone by what staff call it, in each language; an unlisted one by its id', () => {
    const { fake, send } = setup()
    fake.nameZone('office', { 'zh-CN': '经理室', en: "Manager's office" })
    const named = raiseIn(send('panic-office', 'pressed', true))
    expect(named.zone).toBe('office')
    expect(named.messages['zh-CN']).toBe('抢劫报警：报警按钮 Office panic button（经理室）被按下')
    expect(named.messages.en).toBe("Robbery: panic button Office panic button in Manager's office: pressed")
    const bare = raiseIn(send('panic-counter-1', 'pressed', true))
    expect(bare.messages['zh-CN']).toBe('抢劫报警：报警按钮 Counter panic button（counter 区）被按下')
    expect(bare.messages.en).toBe('Robbery: panic button Counter panic button in zone counter: pressed')
  })
})
