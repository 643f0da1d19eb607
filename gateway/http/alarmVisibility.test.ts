import { describe, expect, it } from 'vitest'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { DeviceStatus } from '../core/ports.js'
import { ROLES } from '../core/roles.js'
import { seesAlarm, visibleAlarms, visibleDevices } from './alarmVisibility.js'

const robbery = sampleAlarm({ id: 'r', kind: 'robbery', silent: true, raisedAt: '2024-05-01T02:10:00.000Z' })
const fire = sampleAlarm({ id: 'f', raisedAt: '2024-05-01T02:00:00.000Z' })
const leak = sampleAlarm({ id: 'l', kind: 'flood', severity: 'major', raisedAt: '2024-05-01T02:20:00.000Z' })
const newerFire = sampleAlarm({ id: 'f2', raisedAt: '2024-05-01T02:05:00.000Z' })

describe('who sees which alarm', () => {
  it('a silent alarm is seen by manager and admin only; every other alarm by every role', () => {
    expect(ROLES.filter((role) => seesAlarm(role, robbery))).toEqual(['manager', 'admin'])
    expect(ROLES.filter((role) => seesAlarm(role, fire))).toEqual([...ROLES])
  })

  it('lists the most severe first, newest first within a severity', () => {
    expect(visibleAlarms([leak, fire, robbery, newerFire], 'manager').map((a) => a.id)).toEqual(['r', 'f2', 'f', 'l'])
    expect(visibleAlarms([leak, fire, robbery, newerFire], 'staff').map((a) => a.id)).toEqual(['f2', 'f', 'l'])
  })
})

describe('which device details each role sees', () => {
  const at = '2024-05-01T02:10:00.000Z'
  const panic: DeviceStatus = {
    id: 'panic-1',
    type: 'panic_button',
    zone: 'counter',
    name: null,
    lastSeen: at,
    values: { pressed: { value: true, at } },
    transport: 'gpio',
    status: 'fault',
    faults: [{ reason: 'tamper', since: at, message: 'Panic button tampered', silent: true }],
  }
  const leakSensor: DeviceStatus = {
    ...panic,
    id: 'leak-1',
    type: 'leak',
    values: { water_leak: { value: false, at } },
    faults: [{ reason: 'battery', since: at, message: 'Battery low', silent: false }],
  }

  it('below manager a panic button shows no values, no last-seen time and no fault from a silent alarm', () => {
    for (const role of ['viewer', 'staff', 'maintenance'] as const) {
      expect(visibleDevices([panic, leakSensor], role)).toEqual([
        { ...panic, values: {}, lastSeen: null, faults: [], status: 'ok' },
        leakSensor,
      ])
    }
  })

  it('a manager and an admin see every device as it is', () => {
    for (const role of ['manager', 'admin'] as const) {
      expect(visibleDevices([panic, leakSensor], role)).toEqual([panic, leakSensor])
    }
  })
})
