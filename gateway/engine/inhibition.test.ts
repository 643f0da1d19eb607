import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import type { RaiseIntent } from '../core/intent.js'
import { inhibitionOf } from './inhibition.js'

const fault = (deviceId: string, zone: string): RaiseIntent =>
  ({ type: 'raise', kind: 'device_fault', key: `device_fault:${deviceId}:tamper`, deviceId, zone }) as RaiseIntent
const open = (over: Partial<Alarm>) => over as Alarm

describe('alarm inhibition', () => {
  it('a fire in a zone suppresses device faults from that zone, not from others', () => {
    const alarms = [open({ kind: 'fire', zone: 'hall', deviceId: 'smoke-1', details: {} })]
    expect(inhibitionOf(fault('smoke-2', 'hall'), alarms)).toBe('fire_in_zone')
    expect(inhibitionOf(fault('smoke-3', 'backroom'), alarms)).toBeNull()
  })

  it('an offline terminal does not also report its sub-faults', () => {
    const offline = [open({ kind: 'terminal_fault', zone: 'ss', deviceId: 'terminal-1', details: { offline: true } })]
    expect(inhibitionOf(fault('terminal-1', 'ss'), offline)).toBe('terminal_offline')
    const online = [open({ kind: 'terminal_fault', zone: 'ss', deviceId: 'terminal-1', details: { offline: false } })]
    expect(inhibitionOf(fault('terminal-1', 'ss'), online)).toBeNull()
  })

  it('never inhibits an emergency', () => {
    const alarms = [open({ kind: 'fire', zone: 'hall', deviceId: 'smoke-1', details: {} })]
    expect(inhibitionOf({ ...fault('x', 'hall'), kind: 'flood' }, alarms)).toBeNull()
  })
})
