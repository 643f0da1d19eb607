import { describe, expect, it } from 'vitest'
import type { Intent } from '../gateway/core/intent.js'
import type { Reading, ReadingValue } from '../gateway/core/reading.js'
import { fireKey, fireRule } from './fire.js'
import type { DeviceInfo, RuleView } from './rule.js'

const detectors: DeviceInfo[] = [
  { id: 'smoke-hall-1', type: 'smoke', zone: 'hall', name: 'Hall smoke 1' },
  { id: 'smoke-hall-2', type: 'smoke', zone: 'hall', name: 'Hall smoke 2' },
  { id: 'smoke-back-1', type: 'smoke', zone: 'backroom', name: 'Back smoke' },
]

/** A RuleView over a plain map of latest values; `open` says which alarm keys are open. */
function viewOf(latest: Record<string, ReadingValue>, open: string[] = []): RuleView {
  return {
    store: 'test-store',
    now: () => 0,
    device: (id) => detectors.find((d) => d.id === id),
    devices: (f) => detectors.filter((d) => (!f.type || d.type === f.type) && (!f.zone || d.zone === f.zone)),
    latest: (id, metric) =>
      metric === 'smoke' && id in latest ? { value: latest[id] as ReadingValue, ts: 0 } : undefined,
    openAlarm: (key) => (open.includes(key) ? ({ key } as never) : undefined),
  }
}

const smoke = (deviceId: string, value: ReadingValue, zone = 'hall'): Reading => ({
  store: 'test-store',
  deviceId,
  deviceType: 'smoke',
  zone,
  metric: 'smoke',
  value,
  ts: 0,
  quality: 'good',
})

describe('fire rule', () => {
  it('any smoke detector in alarm raises a critical, latching, audible fire alarm with the 119 checklist', () => {
    const [intent] = fireRule.onReading(smoke('smoke-hall-1', true), viewOf({ 'smoke-hall-1': true })) as Intent[]
    expect(intent).toMatchObject({
      type: 'raise',
      key: fireKey('hall'),
      kind: 'fire',
      severity: 'critical',
      latching: true,
      silent: false,
      deviceId: 'smoke-hall-1',
    })
    if (intent?.type !== 'raise') throw new Error('expected a raise')
    expect(intent.messages.en).toContain('Hall smoke 1')
    expect(intent.checklist['zh-CN'][0]).toContain('119')
    expect(intent.checklist.en[0]).toContain('119')
  })

  it('smoke gone from one detector does not clear the zone while another still sees smoke', () => {
    const view = viewOf({ 'smoke-hall-1': false, 'smoke-hall-2': true }, [fireKey('hall')])
    expect(fireRule.onReading(smoke('smoke-hall-1', false), view)).toEqual([])
  })

  it('the condition clears when no detector in the zone sees smoke any more', () => {
    const view = viewOf({ 'smoke-hall-1': false, 'smoke-hall-2': false, 'smoke-back-1': true }, [fireKey('hall')])
    expect(fireRule.onReading(smoke('smoke-hall-1', false), view)).toEqual([{ type: 'clear', key: fireKey('hall') }])
  })

  it('ignores other metrics of a smoke detector, such as its battery', () => {
    const battery: Reading = { ...smoke('smoke-hall-1', 12), metric: 'battery' }
    expect(fireRule.onReading(battery, viewOf({}))).toEqual([])
  })
})
