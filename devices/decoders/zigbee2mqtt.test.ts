import { describe, expect, it } from 'vitest'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { DecodeResult } from './decodeResult.js'
import { decodeZigbee2mqtt } from './zigbee2mqtt.js'

const decode = (payload: unknown): DecodeResult =>
  decodeZigbee2mqtt(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8'))

function metricsOf(result: DecodeResult): Record<string, ReadingValue> {
  if (!result.ok) throw new Error(`expected a decoded message, got ${result.reason}: ${result.detail}`)
  return Object.fromEntries(result.metrics.map((m) => [m.metric, m.value]))
}

/** Payloads as zigbee2mqtt publishes them for common off-the-shelf sensors. */
const SMOKE_DETECTOR = {
  battery: 100,
  battery_low: false,
  linkquality: 87,
  smoke: true,
  tamper: false,
  voltage: 3000,
  last_seen: '2026-11-23T10:00:00+08:00',
  update: { state: 'idle', installed_version: 8704, latest_version: 8704 },
  update_available: false,
}

const WATER_LEAK_SENSOR = {
  battery: 91,
  battery_low: false,
  device_temperature: 27,
  linkquality: 120,
  power_outage_count: 3,
  voltage: 2985,
  water_leak: true,
  last_seen: '2026-11-23T10:05:12+08:00',
}

const BUTTON = {
  action: 'single',
  battery: 100,
  linkquality: 144,
  voltage: 3042,
  device: { friendlyName: 'panic_counter', ieeeAddr: '0x00158d0001a2b3c4', model: 'WXKG01LM' },
  elapsed: 1532,
}

describe('zigbee2mqtt device payloads', () => {
  it('reads a smoke detector: smoke, tamper and battery health become metrics', () => {
    expect(metricsOf(decode(SMOKE_DETECTOR))).toEqual({
      battery: 100,
      battery_low: false,
      linkquality: 87,
      smoke: true,
      tamper: false,
      voltage: 3000,
    })
  })

  it('does not treat zigbee2mqtt bookkeeping (last_seen, update, device, elapsed) as readings', () => {
    const metrics = [SMOKE_DETECTOR, WATER_LEAK_SENSOR, BUTTON].flatMap((p) => Object.keys(metricsOf(decode(p))))
    for (const bookkeeping of ['last_seen', 'update', 'update_available', 'device', 'elapsed']) {
      expect(metrics).not.toContain(bookkeeping)
    }
  })

  it('reads a water leak sensor, keeping keys the leak type does not know for the adapter to drop', () => {
    const metrics = metricsOf(decode(WATER_LEAK_SENSOR))
    expect(metrics.water_leak).toBe(true)
    expect(metrics.battery).toBe(91)
    expect(metrics.power_outage_count).toBe(3)
    expect(metrics).not.toHaveProperty('last_seen')
  })

  it('reads a button press as an action string', () => {
    expect(metricsOf(decode(BUTTON))).toEqual({ action: 'single', battery: 100, linkquality: 144, voltage: 3042 })
  })

  it('ignores action "" (zigbee2mqtt clearing the last action) but keeps the rest of the message', () => {
    const metrics = metricsOf(decode({ ...BUTTON, action: '' }))
    expect(metrics).not.toHaveProperty('action')
    expect(metrics.battery).toBe(100)
  })

  it('keeps an empty string on keys other than action', () => {
    expect(metricsOf(decode({ battery_state: '', battery: 50 }))).toEqual({ battery_state: '', battery: 50 })
  })

  it('rejects broken or non-object payloads with the same reasons as generic JSON', () => {
    const reason = (text: string) => {
      const result = decode(text)
      return result.ok ? null : result.reason
    }
    expect(reason('{"smoke": tr')).toBe('malformed_json')
    expect(reason('[{"smoke": true}]')).toBe('not_an_object')
    expect(reason('null')).toBe('not_an_object')
    expect(reason('3000')).toBe('not_an_object')
    expect(decodeZigbee2mqtt(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty' })
  })

  it('reports null and nested values of readings as invalid fields, but never its bookkeeping', () => {
    const result = decode({ ...SMOKE_DETECTOR, battery: null, tamper: { open: true }, device: null })
    expect(result.ok && result.invalid.map((f) => [f.metric, f.reason])).toEqual([
      ['battery', 'null_value'],
      ['tamper', 'wrong_type'],
    ])
    expect(metricsOf(result).smoke).toBe(true)
  })
})
