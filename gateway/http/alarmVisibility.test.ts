import { describe, expect, it } from 'vitest'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import { ROLES } from '../core/roles.js'
import { seesAlarm, visibleAlarms } from './alarmVisibility.js'

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
