import { describe, expect, it } from 'vitest'
import type { Intent } from '../gateway/core/intent.js'
import { fakeRuleView, type TestDevice } from '../test/support/fakeRuleView.js'
import { commKey, createSupervisionRule, silentKey } from './supervision.js'

const devices: TestDevice[] = [
  { id: 'smoke-1', type: 'smoke', zone: 'hall', name: 'Hall smoke' },
  { id: 'level-1', type: 'water_level', zone: 'entrance', name: 'Level', transport: 'modbus' },
  { id: 'panic-1', type: 'panic_button', zone: 'counter', name: 'Panic', transport: 'gpio' },
]

function setup() {
  const rule = createSupervisionRule({ enabled: true, silenceFactor: 2 })
  const fake = fakeRuleView(devices, 0)
  fake.setHeartbeat('smoke-1', 60)
  fake.setHeartbeat('level-1', 5)
  const tick = (atMs: number): Intent[] => {
    fake.at(atMs)
    const intents = [...(rule.onTick?.(fake.view) ?? [])]
    for (const i of intents) if (i.type === 'raise') fake.openAlarm(i.key, { conditionActive: true })
    return intents
  }
  const hear = (deviceId: string, atMs: number): Intent[] => {
    fake.at(atMs)
    fake.record(deviceId, 'battery', 90)
    const device = devices.find((d) => d.id === deviceId) as TestDevice
    const intents = [
      ...rule.onReading(
        {
          store: 's',
          deviceId,
          deviceType: device.type,
          zone: device.zone,
          metric: 'battery',
          value: 90,
          ts: atMs,
          quality: 'good',
        },
        fake.view,
      ),
    ]
    for (const i of intents) if (i.type === 'clear') fake.closeAlarm(i.key)
    return intents
  }
  return { rule, fake, tick, hear }
}

describe('supervision', () => {
  it('a silent MQTT device goes into fault after two missed heartbeats, once', () => {
    const { tick } = setup()
    expect(tick(120_000)).toEqual([])
    const [fault] = tick(121_000)
    expect(fault).toMatchObject({ type: 'raise', key: silentKey('smoke-1'), kind: 'device_fault', severity: 'minor' })
    if (fault?.type === 'raise') expect(fault.messages.en).toMatch(/not reported for 2 min \(expected every 1 min\)/)
    expect(tick(180_000)).toEqual([])
  })

  it('and out of it when heard again', () => {
    const { tick, hear } = setup()
    tick(121_000)
    expect(hear('smoke-1', 130_000)).toEqual([{ type: 'clear', key: silentKey('smoke-1') }])
    expect(hear('smoke-1', 131_000)).toEqual([])
  })

  it('a device heard in time is never in fault', () => {
    const { tick, hear } = setup()
    for (let t = 0; t < 600_000; t += 60_000) {
      hear('smoke-1', t)
      expect(tick(t + 59_000)).toEqual([])
    }
  })

  it('polled Modbus and GPIO devices are judged by their adapters, not by silence', () => {
    const { tick } = setup()
    expect(tick(3_600_000).map((i) => (i.type === 'raise' ? i.deviceId : ''))).toEqual(['smoke-1'])
  })

  it('an MQTT device zigbee2mqtt reports offline is in fault once, not again for its silence', () => {
    const { rule, fake, tick } = setup()
    const offline = { ok: false, reason: 'connection_lost', detail: 'zigbee2mqtt reports it offline' } as const
    fake.setComm('smoke-1', offline)
    expect(rule.onCommStatus?.('smoke-1', offline, fake.view)?.[0]).toMatchObject({
      type: 'raise',
      key: commKey('smoke-1'),
      details: { reason: 'connection_lost' },
    })
    expect(tick(3_600_000)).toEqual([])
    // back online but still silent: the silence check is the net again
    fake.setComm('smoke-1', { ok: true, reason: null, detail: '' })
    expect(tick(3_601_000).map((i) => (i.type === 'raise' ? i.key : ''))).toEqual([silentKey('smoke-1')])
  })

  it('a comm failure reported by the adapter is a device fault until it recovers', () => {
    const { rule, fake } = setup()
    const down = rule.onCommStatus?.(
      'level-1',
      { ok: false, reason: 'modbus_timeout', detail: 'no answer in 1000 ms' },
      fake.view,
    )
    expect(down?.[0]).toMatchObject({ type: 'raise', key: commKey('level-1'), details: { reason: 'modbus_timeout' } })
    const up = rule.onCommStatus?.('level-1', { ok: true, reason: null, detail: '' }, fake.view)
    expect(up).toEqual([{ type: 'clear', key: commKey('level-1') }])
  })
})
