import { describe, expect, it } from 'vitest'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import { DEVICE_TYPES, type ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createDeviceHealthRule, deviceFaultKey } from './deviceHealth.js'

const devices: DeviceInfo[] = [
  { id: 'leak-1', type: 'leak', zone: 'backroom', name: 'Backroom leak sensor' },
  { id: 'smoke-1', type: 'smoke', zone: 'hall', name: 'Hall smoke' },
  { id: 'panic-1', type: 'panic_button', zone: 'counter', name: 'Counter panic button' },
]

function setup() {
  const fake = fakeRuleView(devices)
  // the shipped voltage thresholds of these types, as the gateway resolves them
  fake.setBatteryThresholds('smoke-1', { lowPct: 15, lowMv: 2700 })
  fake.setBatteryThresholds('leak-1', { lowPct: 15, lowMv: 2500 })
  fake.setBatteryThresholds('panic-1', { lowPct: 15, lowMv: 2700 })
  const rule = createDeviceHealthRule()
  /** As the engine does: record the value, hand the reading to the rule, apply raises and clears. */
  const send = (deviceId: string, metric: string, value: ReadingValue): readonly Intent[] => {
    const device = devices.find((d) => d.id === deviceId)
    if (!device) throw new Error(deviceId)
    fake.record(deviceId, metric, value)
    const reading = { store: 'test-store', deviceId, deviceType: device.type, zone: device.zone, metric, value }
    const intents = rule.onReading({ ...reading, ts: fake.view.now(), quality: 'good' }, fake.view)
    for (const i of intents) {
      if (i.type === 'raise') fake.openAlarm(i.key, { conditionActive: true })
      if (i.type === 'clear') fake.closeAlarm(i.key)
    }
    return intents
  }
  return { fake, rule, send }
}

const raiseIn = (intents: readonly Intent[]): RaiseIntent => {
  const [raise] = intents
  if (raise?.type !== 'raise' || intents.length !== 1) throw new Error(`expected one raise: ${JSON.stringify(intents)}`)
  return raise
}

describe('device health rule', () => {
  it('watches every device type that reports, but not sirens and strobes', () => {
    const { rule } = setup()
    expect(rule.id).toBe('deviceHealth')
    expect(new Set(rule.watches)).toEqual(new Set(DEVICE_TYPES.filter((t) => t !== 'siren' && t !== 'strobe')))
  })

  it('a device reporting tamper raises a minor, non-latching device fault with the maintenance checklist', () => {
    const { send } = setup()
    const raise = raiseIn(send('leak-1', 'tamper', true))
    expect(raise).toMatchObject({
      key: 'device_fault:leak-1:tamper',
      kind: 'device_fault',
      severity: 'minor',
      latching: false,
      silent: false,
      deviceId: 'leak-1',
      zone: 'backroom',
      details: { fault: 'tamper' },
    })
    expect(raise.messages.en).toContain('Backroom leak sensor')
    expect(raise.messages['zh-CN']).toContain('防拆')
    expect(raise.checklist['zh-CN'].join('')).toContain('更换电池')
    expect(raise.checklist.en.join(' ')).toContain('call maintenance')
  })

  it('tamper on a panic button is a device fault, raised silently', () => {
    const { send } = setup()
    expect(raiseIn(send('panic-1', 'tamper', true))).toMatchObject({
      key: deviceFaultKey('panic-1', 'tamper'),
      kind: 'device_fault',
      silent: true,
    })
  })

  it('the tamper fault clears when the device reports its cover closed again', () => {
    const { send } = setup()
    send('leak-1', 'tamper', true)
    expect(send('leak-1', 'tamper', false)).toEqual([{ type: 'clear', key: 'device_fault:leak-1:tamper' }])
  })

  it('a repeated tamper report does not raise again while the fault is open', () => {
    const { send } = setup()
    send('leak-1', 'tamper', true)
    expect(send('leak-1', 'tamper', true)).toEqual([])
  })

  it('routine "no tamper" reports clear nothing', () => {
    const { send } = setup()
    expect(send('leak-1', 'tamper', false)).toEqual([])
  })

  it('a battery under the threshold raises a battery fault that says the charge', () => {
    const { send } = setup()
    expect(send('smoke-1', 'battery', 15)).toEqual([])
    const raise = raiseIn(send('smoke-1', 'battery', 14))
    expect(raise).toMatchObject({
      key: 'device_fault:smoke-1:battery',
      kind: 'device_fault',
      severity: 'minor',
      details: { fault: 'battery', form: 'battery', value: 14, threshold: 15, batteryPct: 14 },
    })
    expect(raise.messages.en).toContain('14 %')
    expect(raise.messages['zh-CN']).toContain('14%')
  })

  it("zigbee2mqtt's battery_low flag raises a battery fault whatever the charge says", () => {
    const { send } = setup()
    send('smoke-1', 'battery', 60)
    expect(raiseIn(send('smoke-1', 'battery_low', true)).key).toBe('device_fault:smoke-1:battery')
  })

  it('the battery fault clears only when neither the flag nor the charge says low', () => {
    const { send } = setup()
    send('smoke-1', 'battery_low', true)
    send('smoke-1', 'battery', 5)
    expect(send('smoke-1', 'battery_low', false)).toEqual([])
    expect(send('smoke-1', 'battery', 100)).toEqual([{ type: 'clear', key: 'device_fault:smoke-1:battery' }])
  })

  /** Each way a device tells a low battery, and how the same form says it is back. */
  const FORMS: { form: string; low: ReadingValue; back: ReadingValue; said: string; details: object }[] = [
    { form: 'battery', low: 9, back: 80, said: '9 %', details: { value: 9, threshold: 15 } },
    { form: 'battery_low', low: true, back: false, said: 'reports its battery low', details: { value: true } },
    { form: 'battery_state', low: 'low', back: 'medium', said: 'battery state low', details: { value: 'low' } },
    { form: 'battery_state', low: 'LOW', back: 'high', said: 'battery state LOW', details: { value: 'LOW' } },
    { form: 'voltage', low: 2400, back: 3000, said: '2400 mV', details: { value: 2400 } },
  ]
  const CASES = ['smoke-1', 'leak-1', 'panic-1'].flatMap((deviceId) => FORMS.map((f) => ({ deviceId, ...f })))

  it.each(CASES)('$deviceId: $form $low raises the battery fault, naming the form and value', (c) => {
    const { send } = setup()
    const raise = raiseIn(send(c.deviceId, c.form, c.low))
    expect(raise).toMatchObject({
      key: deviceFaultKey(c.deviceId, 'battery'),
      kind: 'device_fault',
      severity: 'minor',
      latching: false,
      silent: c.deviceId === 'panic-1',
      details: { fault: 'battery', form: c.form, ...c.details },
    })
    expect(raise.messages.en).toContain(c.said)
    expect(raise.messages['zh-CN']).toContain('电池电量低')
  })

  it.each(CASES)('$deviceId: $form $back clears the battery fault it raised', (c) => {
    const { send } = setup()
    send(c.deviceId, c.form, c.low)
    expect(send(c.deviceId, c.form, c.low)).toEqual([])
    expect(send(c.deviceId, c.form, c.back)).toEqual([{ type: 'clear', key: deviceFaultKey(c.deviceId, 'battery') }])
  })

  it('a voltage is judged against the threshold of the device: a leak sensor at 2600 mV is fine, a smoke detector is not', () => {
    const { send } = setup()
    expect(send('leak-1', 'voltage', 2600)).toEqual([])
    expect(raiseIn(send('smoke-1', 'voltage', 2600)).details).toMatchObject({ form: 'voltage', threshold: 2700 })
  })

  it('a 9 V smoke alarm configured with its own voltage threshold is low at 7.4 V', () => {
    const { fake, send } = setup()
    fake.setBatteryThresholds('smoke-1', { lowPct: 15, lowMv: 7500 })
    expect(send('smoke-1', 'voltage', 8900)).toEqual([])
    expect(raiseIn(send('smoke-1', 'voltage', 7400)).messages.en).toContain('7400 mV')
  })

  it('a voltage is not judged on a device with no voltage threshold', () => {
    const { fake, send } = setup()
    fake.setBatteryThresholds('smoke-1', { lowPct: 15, lowMv: undefined })
    expect(send('smoke-1', 'voltage', 1200)).toEqual([])
  })

  it('the fault stays while any form still says low, and clears once every form is back', () => {
    const { send } = setup()
    raiseIn(send('panic-1', 'battery_state', 'low'))
    expect(send('panic-1', 'voltage', 2300)).toEqual([])
    expect(send('panic-1', 'battery_state', 'high')).toEqual([])
    expect(send('panic-1', 'voltage', 3000)).toEqual([{ type: 'clear', key: deviceFaultKey('panic-1', 'battery') }])
  })

  it('tamper and battery are separate faults of one device', () => {
    const { send } = setup()
    send('leak-1', 'tamper', true)
    expect(raiseIn(send('leak-1', 'battery', 3)).key).toBe(deviceFaultKey('leak-1', 'battery'))
    expect(send('leak-1', 'battery', 90)).toEqual([{ type: 'clear', key: deviceFaultKey('leak-1', 'battery') }])
  })

  it('ignores the emergency metrics themselves, such as a leak or a press', () => {
    const { send } = setup()
    expect(send('leak-1', 'water_leak', true)).toEqual([])
    expect(send('panic-1', 'pressed', true)).toEqual([])
    expect(send('smoke-1', 'linkquality', 0)).toEqual([])
  })
})

describe('device health rule: zone names', () => {
  it('tamper and low battery name a listed zone by what staff call it, in each language', () => {
    const { fake, send } = setup()
    fake.nameZone('backroom', { 'zh-CN': '后台库房', en: 'Back office' })
    fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
    const tamper = raiseIn(send('leak-1', 'tamper', true))
    expect(tamper.zone).toBe('backroom')
    expect(tamper.messages['zh-CN']).toBe('设备防拆报警：Backroom leak sensor（后台库房）外壳被打开或设备被移动')
    expect(tamper.messages.en).toBe('Device tamper: Backroom leak sensor in Back office: cover opened or device moved')
    const battery = raiseIn(send('smoke-1', 'battery', 14))
    expect(battery.messages['zh-CN']).toBe('设备电池电量低：Hall smoke（营业厅）剩余 14%，请更换电池')
    expect(battery.messages.en).toBe('Low battery: Hall smoke in Sales hall (14 %), replace the battery')
  })
})
