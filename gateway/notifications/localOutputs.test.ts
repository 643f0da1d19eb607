import { describe, expect, it } from 'vitest'
import { manualTime } from '../../test/support/manualTime.js'
import { robberyEvent, sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { NotificationOutputConfig } from '../config/notificationsSchema.js'
import { createOutputArbiter, STEADY } from '../outputs/arbiter.js'
import { createLocalOutputs } from './localOutputs.js'

const T0 = 1_000_000
const flood = sampleAlarm({ id: 'f-1', kind: 'flood', severity: 'major', latching: false })

function harness(outputs: Partial<NotificationOutputConfig>[]) {
  const time = manualTime(0)
  const writes: string[] = []
  const arbiter = createOutputArbiter((i) => writes.push(`${i.deviceId}=${String(i.value)}`), time.timers)
  const config = outputs.map((o, k) => ({ id: `out-${k}`, devices: ['buzzer-1'], until: 'ack' as const, ...o }))
  return { local: createLocalOutputs(config, arbiter), arbiter, writes, time }
}

describe('sirens and strobes as notification channels', () => {
  it('sounds a buzzer for an alarm routed to it until the alarm is acknowledged', () => {
    const { local, writes } = harness([{}])
    expect(local.has('out-0')).toBe(true)
    expect(local.has('staff-robot')).toBe(false)
    local.hold('out-0', flood, T0)
    expect(writes).toEqual(['buzzer-1=true'])
    local.onAlarm({ ...flood, state: 'active_acked' }, T0 + 1000)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false'])
    expect(local.sounding('out-0')).toBe(false)
  })

  it('never sounds for an escalated complaint, even on a route that takes every alarm', () => {
    const { local, writes } = harness([{ until: 'closed' }])
    const complaint = sampleAlarm({ id: 'c-1', kind: 'complaint_escalation', severity: 'major', latching: true })
    local.hold('out-0', complaint, T0)
    local.onAlarm({ ...complaint, state: 'active_acked' }, T0 + 1)
    expect(writes).toEqual([])
    expect(local.sounding('out-0')).toBe(false)
  })

  it('a strobe held until closed keeps flashing after the ack and stops at reset', () => {
    const { local, writes } = harness([{ until: 'closed', devices: ['strobe-1'] }])
    local.hold('out-0', flood, T0)
    local.onAlarm({ ...flood, state: 'active_acked' }, T0 + 1)
    local.onAlarm({ ...flood, state: 'active_acked', conditionActive: false }, T0 + 2)
    expect(writes).toEqual(['strobe-1=true'])
    local.onAlarm({ ...flood, state: 'closed', conditionActive: false }, T0 + 3)
    expect(writes).toEqual(['strobe-1=true', 'strobe-1=false'])
  })

  it('until clear follows the condition, acknowledged or not', () => {
    const { local, writes } = harness([{ until: 'clear' }])
    local.hold('out-0', flood, T0)
    local.onAlarm({ ...flood, state: 'active_acked' }, T0 + 1)
    expect(local.sounding('out-0')).toBe(true)
    local.onAlarm({ ...flood, state: 'cleared_unacked', conditionActive: false }, T0 + 2)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false'])
  })

  it('stays on while any alarm it holds still wants it', () => {
    const { local, writes } = harness([{}])
    const second = { ...flood, id: 'f-2' }
    local.hold('out-0', flood, T0)
    local.hold('out-0', second, T0 + 1)
    local.onAlarm({ ...flood, state: 'active_acked' }, T0 + 2)
    expect(local.sounding('out-0')).toBe(true)
    local.onAlarm({ ...second, state: 'active_acked' }, T0 + 3)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false'])
  })

  it('falls quiet after maxSec, and an escalation or repeat sounds it again', () => {
    const { local, writes } = harness([{ maxSec: 60 }])
    local.hold('out-0', flood, T0)
    local.tick(T0 + 59_999)
    expect(local.sounding('out-0')).toBe(true)
    local.tick(T0 + 60_000)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false'])
    local.hold('out-0', flood, T0 + 600_000)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false', 'buzzer-1=true'])
  })

  it('shelving silences an ack output', () => {
    const { local } = harness([{}])
    local.hold('out-0', flood, T0)
    local.onAlarm({ ...flood, shelvedUntil: '2030-01-01T00:00:00.000Z' }, T0 + 1)
    expect(local.sounding('out-0')).toBe(false)
  })

  it('pulses in its own pattern', () => {
    const { local, writes, time } = harness([{ pulseOnMs: 200, pulseOffMs: 800 }])
    local.hold('out-0', flood, T0)
    time.advance(1000)
    expect(writes).toEqual(['buzzer-1=true', 'buzzer-1=false', 'buzzer-1=true'])
  })

  it('never sounds for a silent alarm (robbery), even when held there', () => {
    const { local, writes } = harness([{ until: 'closed' }])
    local.hold('out-0', robberyEvent().alarm, T0)
    local.onAlarm(robberyEvent().alarm, T0 + 1)
    expect(writes).toEqual([])
  })

  it('letting go of a siren the fire annunciator also drives leaves it sounding', () => {
    const { local, arbiter, writes } = harness([{ devices: ['siren-1'] }])
    arbiter.request('fire', 'siren-1', STEADY)
    local.hold('out-0', flood, T0)
    local.onAlarm({ ...flood, state: 'active_acked' }, T0 + 1)
    expect(arbiter.isOn('siren-1')).toBe(true)
    expect(writes).toEqual(['siren-1=true'])
  })
})
