import { describe, expect, it } from 'vitest'
import { DeviceClock, deviceIdFromTopic, sensorLine } from './lineProtocol.js'
import { benchDevices, leakPayload, sensorPayload } from './workload.js'

describe('deviceIdFromTopic', () => {
  it('names every workload device by its id', () => {
    for (const device of benchDevices()) expect(deviceIdFromTopic(device.topic)).toBe(device.id)
  })

  it('turns z2m friendly names into device ids', () => {
    expect(deviceIdFromTopic('zigbee2mqtt/z2m_001')).toBe('z2m-001')
  })

  it('takes the id from <prefix>/devices/<id>/state', () => {
    expect(deviceIdFromTopic('storeguard/bench/devices/json-001/state')).toBe('json-001')
  })

  it('has no device for other topics', () => {
    for (const topic of [
      'zigbee2mqtt/',
      'zigbee2mqtt/bridge/state',
      'storeguard/bench/devices/json-001/set',
      'storeguard/bench/devices//state',
      'storeguard/bench/devices/a/b/state',
      'storeguard/bench/alarms/x',
    ]) {
      expect(deviceIdFromTopic(topic), topic).toBeNull()
    }
  })
})

describe('sensorLine', () => {
  const [json, z2m] = [benchDevices(2, 0)[0], benchDevices(2, 0)[1]]
  if (json === undefined || z2m === undefined) throw new Error('workload has no devices')

  it('writes temperature first, then the other numeric fields, then the timestamp', () => {
    expect(sensorLine(json.id, JSON.parse(sensorPayload(json, 5)), 1700000000000)).toBe(
      'sensor,device=json-001 temperature=20.5,humidity=45 1700000000000',
    )
    expect(sensorLine(z2m.id, JSON.parse(sensorPayload(z2m, 1)), 42)).toBe(
      'sensor,device=z2m-001 temperature=20.1,battery=89,linkquality=101,voltage=3000 42',
    )
  })

  it('leaves out fields that are not finite numbers', () => {
    expect(sensorLine('d', { temperature: 21, state: 'ON', ok: true, n: null, nested: { a: 1 } }, 1)).toBe(
      'sensor,device=d temperature=21 1',
    )
  })

  it('skips messages without a numeric temperature (leak probes, garbage)', () => {
    expect(sensorLine('leak-001', JSON.parse(leakPayload(true)), 1)).toBeNull()
    expect(sensorLine('d', { temperature: '21' }, 1)).toBeNull()
    expect(sensorLine('d', null, 1)).toBeNull()
    expect(sensorLine('d', 21, 1)).toBeNull()
  })

  it('escapes line-protocol syntax in tag values and field keys', () => {
    expect(sensorLine('a b,c=d', { temperature: 1, 'x y': 2 }, 1)).toBe(
      'sensor,device=a\\ b\\,c\\=d temperature=1,x\\ y=2 1',
    )
  })
})

describe('DeviceClock', () => {
  it('bumps a repeated millisecond per device, and only for that device', () => {
    let now = 1000
    const clock = new DeviceClock(() => now)
    expect([clock.next('a'), clock.next('a'), clock.next('a'), clock.next('b')]).toEqual([1000, 1001, 1002, 1000])
    now = 1001
    expect(clock.next('a')).toBe(1003)
    now = 1010
    expect(clock.next('a')).toBe(1010)
  })
})
