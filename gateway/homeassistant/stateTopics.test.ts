import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import { alarmSummary, deviceHealth, valuePayload } from './stateTopics.js'

const alarm = (over: Partial<Alarm>): Alarm =>
  ({
    kind: 'fire',
    silent: false,
    state: 'active_unacked',
    conditionActive: true,
    deviceId: 'd',
    key: 'k',
    ...over,
  }) as Alarm

describe('the alarm summary for Home Assistant', () => {
  it('counts open alarms by kind, with a total', () => {
    const summary = alarmSummary([alarm({}), alarm({}), alarm({ kind: 'flood', state: 'cleared_unacked' })])
    expect(summary).toEqual({
      fire: 2,
      flood: 1,
      terminal_fault: 0,
      device_fault: 0,
      power_outage: 0,
      system_fault: 0,
      facility_fault: 0,
      complaint_escalation: 0,
      queue_wait: 0,
      total: 3,
    })
  })

  it('never counts a silent alarm, nor has a robbery count', () => {
    const summary = alarmSummary([
      alarm({ kind: 'robbery', silent: true }),
      alarm({ kind: 'device_fault', silent: true }),
    ])
    expect(summary).not.toHaveProperty('robbery')
    expect(summary.total).toBe(0)
    expect(summary.device_fault).toBe(0)
  })
})

describe("a device's health for Home Assistant", () => {
  const fault = (reason: string, over: Partial<Alarm> = {}) =>
    alarm({ kind: 'device_fault', deviceId: 'smoke-1', key: `device_fault:smoke-1:${reason}`, ...over })

  it('is offline while supervision cannot hear it, and in fault', () => {
    expect(deviceHealth([fault('silent')], 'smoke-1')).toEqual({ available: false, fault: true })
    expect(deviceHealth([fault('comm')], 'smoke-1')).toEqual({ available: false, fault: true })
  })

  it('is online but in fault with a low battery or tamper', () => {
    expect(deviceHealth([fault('battery_low')], 'smoke-1')).toEqual({ available: true, fault: true })
  })

  it("is well again once the fault's condition has gone, and is not another device's", () => {
    expect(deviceHealth([fault('silent', { conditionActive: false })], 'smoke-1')).toEqual({
      available: true,
      fault: false,
    })
    expect(deviceHealth([fault('comm')], 'smoke-2')).toEqual({ available: true, fault: false })
  })

  it('ignores a fault that came from a silent alarm', () => {
    expect(deviceHealth([fault('tamper', { silent: true })], 'smoke-1')).toEqual({ available: true, fault: false })
  })
})

describe('reading payloads', () => {
  it('match the payload_on / payload_off the discovery names', () => {
    expect([valuePayload(true), valuePayload(false), valuePayload(21.5), valuePayload('ok')]).toEqual([
      'true',
      'false',
      '21.5',
      'ok',
    ])
  })
})
