import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import { createAnnunciator } from './annunciator.js'

const alarm = (over: Partial<Alarm>): Alarm =>
  ({ kind: 'fire', silent: false, state: 'active_unacked', shelvedUntil: null, ...over }) as Alarm

function setup() {
  const outputs: string[] = []
  const a = createAnnunciator({
    sirens: ['siren-1'],
    strobes: ['strobe-1'],
    arbiter: { request: (_by, deviceId, drive) => outputs.push(`${deviceId}=${drive !== null}`) },
  })
  return { a, outputs }
}

describe('annunciator', () => {
  it('a fire sounds the sirens and flashes the strobes', () => {
    const { a, outputs } = setup()
    a.update([alarm({})])
    expect(outputs).toEqual(['siren-1=true', 'strobe-1=true'])
  })

  it('acknowledging silences the sirens; the strobes flash until the alarm is reset', () => {
    const { a, outputs } = setup()
    a.update([alarm({})])
    a.update([alarm({ state: 'active_acked' })])
    expect(outputs.slice(2)).toEqual(['siren-1=false'])
    a.update([])
    expect(outputs.slice(3)).toEqual(['strobe-1=false'])
  })

  it('a silent robbery alarm never touches an output', () => {
    const { a, outputs } = setup()
    a.update([alarm({ kind: 'robbery', silent: true })])
    a.update([])
    expect(outputs.filter((o) => o.endsWith('=true'))).toEqual([])
  })

  it('only changes are written: the same state twice switches nothing', () => {
    const { a, outputs } = setup()
    a.update([alarm({})])
    a.update([alarm({}), alarm({ kind: 'flood' })])
    expect(outputs).toHaveLength(2)
  })
})
