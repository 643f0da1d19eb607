import { describe, expect, it } from 'vitest'
import type { Intent } from '../gateway/core/intent.js'
import type { DeviceType, Reading, ReadingValue } from '../gateway/core/reading.js'
import type { TestDevice as DeviceInfo } from '../test/support/fakeRuleView.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { createFireRule, fireKey } from './fire.js'
import type { RuleSettings } from './registry.js'

const SETTINGS: RuleSettings['fire'] = { enabled: true, heatAlarmC: 57, heatRiseCPerMin: 8, confirmWindowSec: 120 }

const DEVICES: DeviceInfo[] = [
  { id: 'smoke-hall-1', type: 'smoke', zone: 'hall', name: 'Hall smoke 1' },
  { id: 'smoke-hall-2', type: 'smoke', zone: 'hall', name: 'Hall smoke 2' },
  { id: 'smoke-back-1', type: 'smoke', zone: 'backroom', name: 'Back smoke' },
  { id: 'heat-back-1', type: 'heat', zone: 'backroom', name: 'Back heat' },
]

/** A rule with its view; `feed` records a reading as the engine does, then runs the rule. */
function setup() {
  const rule = createFireRule(SETTINGS)
  const fake = fakeRuleView(DEVICES)
  const feed = (deviceId: string, metric: string, value: ReadingValue, atMs = 0): Intent[] => {
    const device = DEVICES.find((d) => d.id === deviceId) as DeviceInfo
    fake.at(atMs)
    fake.record(deviceId, metric, value)
    const reading: Reading = {
      store: 'test-store',
      deviceId,
      deviceType: device.type as DeviceType,
      zone: device.zone,
      metric,
      value,
      ts: atMs,
      quality: 'good',
    }
    const intents = [...rule.onReading(reading, fake.view)]
    for (const i of intents) if (i.type === 'raise') fake.openAlarm(i.key, { escalationLevel: 0 })
    for (const i of intents) if (i.type === 'escalate') fake.openAlarm(i.key, { escalationLevel: i.level })
    return intents
  }
  return { feed, fake }
}

describe('fire rule', () => {
  it('any smoke detector in alarm raises a critical, latching, audible, unshelvable fire alarm with the 119 checklist', () => {
    const [intent] = setup().feed('smoke-hall-1', 'smoke', true)
    expect(intent).toMatchObject({
      type: 'raise',
      key: fireKey('hall'),
      kind: 'fire',
      severity: 'critical',
      latching: true,
      silent: false,
      shelvable: false,
      deviceId: 'smoke-hall-1',
    })
    if (intent?.type !== 'raise') throw new Error('expected a raise')
    expect(intent.messages.en).toContain('Hall smoke 1')
    expect(intent.checklist['zh-CN'][0]).toContain('119')
    expect(intent.checklist.en[0]).toContain('119')
  })

  it('a smoke detector that keeps reporting smoke does not raise again', () => {
    const { feed } = setup()
    feed('smoke-hall-1', 'smoke', true, 0)
    expect(feed('smoke-hall-1', 'smoke', true, 5000)).toEqual([])
  })

  it('heat at the fixed threshold raises a fire alarm; below it does not', () => {
    const { feed } = setup()
    expect(feed('heat-back-1', 'temperature', 56.9)).toEqual([])
    const [intent] = feed('heat-back-1', 'temperature', 57, 1000)
    expect(intent).toMatchObject({ type: 'raise', key: fireKey('backroom'), deviceId: 'heat-back-1' })
    if (intent?.type === 'raise') expect(intent.messages.en).toContain('57 °C')
  })

  it('heat rising fast raises a fire alarm well below the fixed threshold', () => {
    const { feed } = setup()
    expect(feed('heat-back-1', 'temperature', 25, 0)).toEqual([])
    expect(feed('heat-back-1', 'temperature', 27, 10_000)).toEqual([])
    const [intent] = feed('heat-back-1', 'temperature', 29, 20_000) // 12 °C/min
    expect(intent).toMatchObject({ type: 'raise', kind: 'fire' })
    if (intent?.type === 'raise') expect(intent.messages.en).toMatch(/rising 12\.0 °C\/min/)
  })

  it('a slow warm-up is not a fire', () => {
    const { feed } = setup()
    for (let i = 0; i <= 6; i++) expect(feed('heat-back-1', 'temperature', 24 + i * 0.5, i * 10_000)).toEqual([])
  })

  it('two detectors within two minutes confirm a fire and escalate it', () => {
    const { feed } = setup()
    feed('smoke-hall-1', 'smoke', true, 0)
    const intents = feed('smoke-hall-2', 'smoke', true, 90_000)
    expect(intents).toContainEqual(
      expect.objectContaining({
        type: 'escalate',
        key: fireKey('hall'),
        level: 1,
        details: expect.objectContaining({ confirmed: true }),
      }),
    )
  })

  it('smoke plus heat in different zones confirm both zones', () => {
    const { feed } = setup()
    feed('smoke-hall-1', 'smoke', true, 0)
    const intents = feed('heat-back-1', 'heat_alarm', true, 30_000)
    const escalated = intents.filter((i) => i.type === 'escalate').map((i) => (i.type === 'escalate' ? i.key : ''))
    expect(escalated.sort()).toEqual([fireKey('backroom'), fireKey('hall')])
  })

  it('two detectors further apart than the window do not confirm', () => {
    const { feed } = setup()
    feed('smoke-hall-1', 'smoke', true, 0)
    expect(feed('smoke-hall-2', 'smoke', true, 121_000).some((i) => i.type === 'escalate')).toBe(false)
  })

  it('smoke gone from one detector does not clear the zone while another still sees smoke', () => {
    const { feed } = setup()
    feed('smoke-hall-1', 'smoke', true, 0)
    feed('smoke-hall-2', 'smoke', true, 1000)
    expect(feed('smoke-hall-1', 'smoke', false, 2000)).toEqual([])
    expect(feed('smoke-hall-2', 'smoke', false, 3000)).toEqual([{ type: 'clear', key: fireKey('hall') }])
  })

  it('ignores other metrics of a smoke detector, such as its battery', () => {
    expect(setup().feed('smoke-hall-1', 'battery', 12)).toEqual([])
  })
})

describe('fire rule: zone names', () => {
  it('names a listed zone by what staff call it, in each language, and keeps the key and zone field as ids', () => {
    const { feed, fake } = setup()
    fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
    const [raise] = feed('smoke-hall-1', 'smoke', true)
    expect(raise).toMatchObject({ key: 'fire:hall', zone: 'hall' })
    if (raise?.type !== 'raise') throw new Error('expected a raise')
    expect(raise.messages['zh-CN']).toBe('火警：Hall smoke 1 检测到烟雾（营业厅）')
    expect(raise.messages.en).toBe('Fire: smoke detected by Hall smoke 1 in Sales hall')
  })

  it('an unlisted zone is named by its id, marked as a zone', () => {
    const [raise] = setup().feed('smoke-back-1', 'smoke', true)
    if (raise?.type !== 'raise') throw new Error('expected a raise')
    expect(raise.messages['zh-CN']).toBe('火警：Back smoke 检测到烟雾（backroom 区）')
    expect(raise.messages.en).toBe('Fire: smoke detected by Back smoke in zone backroom')
  })
})
