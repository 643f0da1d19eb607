import { describe, expect, it } from 'vitest'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { WeatherWarning } from '../gateway/core/weather.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createFloodRule, floodKey } from './flood.js'
import type { RuleSettings } from './registry.js'

const T0 = Date.parse('2026-07-01T09:00:00+08:00')
const devices: DeviceInfo[] = [
  { id: 'level-hall', type: 'water_level', zone: 'hall', name: 'Hall level' },
  { id: 'leak-hall', type: 'leak', zone: 'hall', name: 'Hall leak' },
  { id: 'leak-back', type: 'leak', zone: 'backroom', name: 'Back leak' },
]
const defaults: RuleSettings['flood'] = {
  enabled: true,
  warningCm: 2,
  criticalCm: 5,
  hysteresisCm: 0.5,
  clearHoldSec: 60,
  predictWindowSec: 300,
  weatherKinds: ['rainstorm', 'typhoon', 'flood'],
}

/** A flood rule over a fake view; `send` records a reading at `atSec` after T0 and runs the rule. */
function setup(overrides: Partial<RuleSettings['flood']> = {}) {
  const fake = fakeRuleView(devices, T0)
  const rule = createFloodRule({ ...defaults, ...overrides })
  function send(deviceId: string, value: number | boolean, atSec: number, metric?: string): readonly Intent[] {
    const device = devices.find((d) => d.id === deviceId)
    if (!device) throw new Error(`unknown device ${deviceId}`)
    fake.at(T0 + atSec * 1000)
    const m = metric ?? (device.type === 'leak' ? 'water_leak' : 'level_cm')
    fake.record(deviceId, m, value)
    const reading = { store: 'test-store', deviceId, deviceType: device.type, zone: device.zone, metric: m, value }
    return rule.onReading({ ...reading, ts: T0 + atSec * 1000, quality: 'good' }, fake.view)
  }
  function tick(atSec: number): readonly Intent[] {
    fake.at(T0 + atSec * 1000)
    return rule.onTick?.(fake.view) ?? []
  }
  return { fake, rule, send, tick }
}

function raised(intents: readonly Intent[]): RaiseIntent {
  const [intent] = intents
  if (intents.length !== 1 || intent?.type !== 'raise')
    throw new Error(`expected one raise, got ${JSON.stringify(intents)}`)
  return intent
}

const clearHall = [{ type: 'clear', key: floodKey('hall') }]

describe('flood rule: thresholds', () => {
  it('a wet leak contact raises a major, non-latching, audible flood alarm for its zone with the flood checklist', () => {
    const intent = raised(setup().send('leak-hall', true, 0))
    expect(intent).toMatchObject({
      key: 'flood:hall',
      kind: 'flood',
      severity: 'major',
      latching: false,
      silent: false,
      deviceId: 'leak-hall',
      zone: 'hall',
    })
    expect(intent.messages.en).toContain('water detected by Hall leak')
    expect(intent.messages['zh-CN']).toContain('Hall leak 检测到漏水')
    expect(intent.checklist['zh-CN']).toHaveLength(6)
    expect(intent.checklist['zh-CN'][0]).toContain('沙袋')
    expect(intent.checklist.en[0]).toContain('sandbags')
  })

  it('a leak in another zone raises that zone’s own alarm', () => {
    expect(raised(setup().send('leak-back', true, 0)).key).toBe('flood:backroom')
  })

  it('a water level at the warning threshold raises a major alarm; just under it raises nothing', () => {
    expect(setup().send('level-hall', 1.9, 0)).toEqual([])
    const intent = raised(setup().send('level-hall', 2, 0))
    expect(intent.severity).toBe('major')
    expect(intent.deviceId).toBe('level-hall')
    expect(intent.details).toMatchObject({ levelCm: 2, warningCm: 2, criticalCm: 5, leak: false })
    expect(intent.messages.en).toContain('water level 2 cm at Hall level in zone hall (warning 2 cm, critical 5 cm)')
  })

  it('a water level at the critical threshold raises a critical alarm', () => {
    const intent = raised(setup().send('level-hall', 5, 0))
    expect(intent.severity).toBe('critical')
    expect(intent.details).toMatchObject({ levelCm: 5 })
  })

  it('ignores other metrics of flood sensors, such as battery and probe temperature', () => {
    const { send } = setup()
    raised(send('leak-hall', true, 0))
    raised(send('level-hall', 2.5, 0))
    expect(send('leak-hall', 12, 10, 'battery')).toEqual([])
    expect(send('level-hall', 30, 10, 'temperature')).toEqual([])
  })
})

describe('flood rule: hysteresis', () => {
  it('a level just under critical stays critical; below critical minus the hysteresis it drops to major', () => {
    const { send } = setup()
    expect(raised(send('level-hall', 5.2, 0)).severity).toBe('critical')
    expect(raised(send('level-hall', 4.9, 10)).severity).toBe('critical')
    const dropped = raised(send('level-hall', 4.4, 20))
    expect(dropped).toMatchObject({ key: 'flood:hall', severity: 'major' })
  })

  it('a rising level inside the hysteresis band does not reach the next severity early', () => {
    const { send } = setup()
    expect(send('level-hall', 1.8, 0)).toEqual([])
    expect(raised(send('level-hall', 2.1, 10)).severity).toBe('major')
    expect(raised(send('level-hall', 4.9, 20)).severity).toBe('major')
  })

  it('a level just under the warning threshold keeps the alarm; below warning minus the hysteresis it stops raising', () => {
    const { send } = setup()
    raised(send('level-hall', 2.5, 0))
    expect(raised(send('level-hall', 1.6, 10)).severity).toBe('major')
    expect(send('level-hall', 1.4, 20)).toEqual([])
  })
})

describe('flood rule: hold time before clearing', () => {
  it('the alarm clears only after the zone has been dry and low for the hold time, and only once', () => {
    const { send, tick } = setup()
    raised(send('level-hall', 2.5, 0))
    expect(send('level-hall', 1, 10)).toEqual([])
    expect(tick(69)).toEqual([])
    expect(tick(70)).toEqual(clearHall)
    expect(tick(71)).toEqual([])
  })

  it('a wet reading during the hold restarts it', () => {
    const { send, tick } = setup()
    raised(send('level-hall', 2.5, 0))
    send('level-hall', 1, 10)
    expect(raised(send('leak-hall', true, 40)).severity).toBe('major')
    expect(send('leak-hall', false, 50)).toEqual([])
    expect(tick(70)).toEqual([])
    expect(tick(109)).toEqual([])
    expect(tick(110)).toEqual(clearHall)
  })

  it('a level back above warning minus the hysteresis during the hold restarts it', () => {
    const { send, tick } = setup()
    raised(send('level-hall', 2.5, 0))
    send('level-hall', 1, 10)
    expect(raised(send('level-hall', 1.6, 30)).severity).toBe('major')
    send('level-hall', 1, 40)
    expect(tick(70)).toEqual([])
    expect(tick(100)).toEqual(clearHall)
  })

  it('the alarm does not start its hold while another sensor in the zone is still wet', () => {
    const { send, tick } = setup()
    send('level-hall', 2.5, 0)
    send('leak-hall', true, 5)
    const stillWet = raised(send('level-hall', 1, 10))
    expect(stillWet).toMatchObject({ severity: 'major', deviceId: 'leak-hall' })
    expect(tick(600)).toEqual([])
  })

  it('after a restart an open flood alarm keeps its severity band and still clears after the hold', () => {
    const { fake, send, tick } = setup()
    fake.openAlarm(floodKey('hall'), { conditionActive: true, severity: 'critical' })
    expect(raised(send('level-hall', 4.8, 0)).severity).toBe('critical')
    expect(send('level-hall', 1, 10)).toEqual([])
    expect(tick(70)).toEqual(clearHall)
  })
})

describe('flood rule: rising-rate prediction', () => {
  it('a rising level puts the minutes to critical in the message and the details', () => {
    const { send } = setup()
    expect(send('level-hall', 1.3, 0)).toEqual([])
    send('level-hall', 1.7, 30)
    const intent = raised(send('level-hall', 2.1, 60))
    expect(intent.messages.en).toContain('rising 0.8 cm/min, critical in about 4 min')
    expect(intent.messages['zh-CN']).toContain('水位每分钟上涨 0.8 厘米，约 4 分钟后达到危险水位')
    expect(intent.details).toMatchObject({ levelCm: 2.1, riseCmPerMin: 0.8, minutesToCritical: 3.6 })
  })

  it('a wet leak contact with a rising level below warning still predicts the time to critical', () => {
    const { send } = setup()
    send('level-hall', 0.2, 0)
    send('level-hall', 0.6, 30)
    send('level-hall', 1, 60)
    const intent = raised(send('leak-hall', true, 61))
    expect(intent.details).toMatchObject({ riseCmPerMin: 0.8, minutesToCritical: 5 })
  })

  it('predicts nothing from fewer than three readings or from less than 30 seconds of history', () => {
    const two = setup()
    two.send('level-hall', 1.2, 0)
    expect(raised(two.send('level-hall', 2, 60)).details).not.toHaveProperty('minutesToCritical')
    const short = setup()
    short.send('level-hall', 1, 0)
    short.send('level-hall', 1.5, 10)
    expect(raised(short.send('level-hall', 2, 20)).details).not.toHaveProperty('minutesToCritical')
  })

  it('a steady or barely rising level predicts nothing', () => {
    const { send } = setup()
    send('level-hall', 2, 0)
    send('level-hall', 2.02, 30)
    const intent = raised(send('level-hall', 2.04, 60))
    expect(intent.details).not.toHaveProperty('riseCmPerMin')
    expect(intent.messages.en).not.toContain('rising')
  })

  it('readings older than the prediction window are forgotten', () => {
    const { send } = setup({ predictWindowSec: 60 })
    send('level-hall', 1, 0)
    send('level-hall', 1.4, 30)
    send('level-hall', 1.8, 60)
    send('level-hall', 2, 150)
    send('level-hall', 2, 180)
    expect(raised(send('level-hall', 2, 200)).details).not.toHaveProperty('riseCmPerMin')
  })

  it('a level sensor that has stopped reporting predicts nothing from its old readings', () => {
    const { send } = setup()
    send('level-hall', 0.2, 0)
    send('level-hall', 0.6, 30)
    send('level-hall', 1, 60)
    expect(raised(send('leak-hall', true, 400)).details).not.toHaveProperty('riseCmPerMin')
  })

  it('a critical alarm carries no prediction, even while the level is back inside the hysteresis band', () => {
    const { send } = setup({ predictWindowSec: 60 })
    send('level-hall', 5, 0)
    send('level-hall', 4.6, 60)
    send('level-hall', 4.7, 90)
    const intent = raised(send('level-hall', 4.8, 120))
    expect(intent.severity).toBe('critical')
    expect(intent.details).not.toHaveProperty('minutesToCritical')
  })
})

describe('flood rule: weather warnings', () => {
  const warning = (over: Partial<WeatherWarning> = {}): WeatherWarning => ({
    kind: 'rainstorm',
    level: 'orange',
    text: null,
    receivedAt: T0,
    validUntil: T0 + 6 * 3600_000,
    cancelled: false,
    ...over,
  })
  const onWeather = (w: WeatherWarning) => {
    const { rule, fake } = setup()
    return rule.onWeather?.(w, fake.view) ?? []
  }

  it('a rainstorm warning tells staff, not customers, to prepare flood defences until it expires', () => {
    const [notice] = onWeather(warning())
    expect(notice).toMatchObject({
      type: 'notice',
      key: 'weather:rainstorm',
      audience: 'staff',
      zone: null,
      deviceId: null,
      endsAt: T0 + 6 * 3600_000,
    })
    if (notice?.type !== 'notice') throw new Error('expected a notice')
    expect(notice.texts['zh-CN']).toContain('暴雨橙色预警')
    expect(notice.texts['zh-CN']).toContain('沙袋')
    expect(notice.texts.en).toContain('Orange rainstorm warning')
    expect(notice.texts.en).toContain('sandbags')
  })

  it('the warning’s own text is passed on to staff', () => {
    const [notice] = onWeather(warning({ kind: 'typhoon', text: '台风“海燕”将于今晚登陆' }))
    expect(notice).toMatchObject({ key: 'weather:typhoon' })
    if (notice?.type !== 'notice') throw new Error('expected a notice')
    expect(notice.texts['zh-CN']).toContain('台风“海燕”将于今晚登陆')
    expect(notice.texts.en).toContain('台风“海燕”将于今晚登陆')
  })

  it('warning kinds are matched regardless of case', () => {
    expect(onWeather(warning({ kind: 'Typhoon' }))).toMatchObject([{ type: 'notice', key: 'weather:typhoon' }])
  })

  it('a cancelled warning withdraws the staff notice', () => {
    expect(onWeather(warning({ cancelled: true }))).toEqual([{ type: 'withdraw_notice', key: 'weather:rainstorm' }])
  })

  it('warnings of other kinds are ignored, cancelled or not', () => {
    expect(onWeather(warning({ kind: 'heatwave' }))).toEqual([])
    expect(onWeather(warning({ kind: 'heatwave', cancelled: true }))).toEqual([])
  })
})

describe('flood rule: zone names', () => {
  it('names a listed zone by what staff call it, in each language, and keeps the key and zone field as ids', () => {
    const { fake, send } = setup()
    fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
    send('level-hall', 3, 0)
    const intent = raised(send('leak-hall', true, 1))
    expect(intent).toMatchObject({ key: floodKey('hall'), zone: 'hall' })
    expect(intent.messages['zh-CN']).toContain('营业厅 Hall level 水位 3 厘米')
    expect(intent.messages['zh-CN']).toContain('营业厅 Hall leak 检测到漏水')
    expect(intent.messages['zh-CN']).not.toContain('区')
    expect(intent.messages.en).toContain('water level 3 cm at Hall level in Sales hall')
    expect(intent.messages.en).toContain('water detected by Hall leak in Sales hall')
  })
})
