import { describe, expect, it } from 'vitest'
import { manualTime } from '../../test/support/manualTime.js'
import { createOutputArbiter, STEADY } from './arbiter.js'

function harness() {
  const time = manualTime(0)
  const writes: string[] = []
  const quiet: boolean[] = []
  const arbiter = createOutputArbiter((intent, options) => {
    writes.push(`${intent.deviceId}=${String(intent.value)}`)
    quiet.push(options?.quiet === true)
  }, time.timers)
  return { arbiter, timers: time, writes, quiet }
}
const PULSE = { pulse: { onMs: 500, offMs: 1500 } }

describe('several requesters driving one output', () => {
  it('switches a siren on for the first requester and off only when the last one lets go', () => {
    const { arbiter, writes } = harness()
    arbiter.request('fire', 'siren-1', STEADY)
    arbiter.request('route:flood-buzzer', 'siren-1', STEADY)
    arbiter.request('fire', 'siren-1', null)
    expect(arbiter.isOn('siren-1')).toBe(true)
    arbiter.request('route:flood-buzzer', 'siren-1', null)
    expect(writes).toEqual(['siren-1=true', 'siren-1=false'])
    expect(arbiter.isOn('siren-1')).toBe(false)
  })

  it('pulses on its own timer, the first phase at once and the later phases quietly', () => {
    const { arbiter, timers, writes, quiet } = harness()
    arbiter.request('route:x', 'strobe-1', PULSE)
    expect(writes).toEqual(['strobe-1=true'])
    timers.advance(500)
    timers.advance(1500)
    timers.advance(500)
    expect(writes).toEqual(['strobe-1=true', 'strobe-1=false', 'strobe-1=true', 'strobe-1=false'])
    expect(quiet).toEqual([false, true, true, true])
    arbiter.request('route:x', 'strobe-1', null)
    timers.advance(10_000)
    expect(writes.at(-1)).toBe('strobe-1=false')
    expect(writes).toHaveLength(5)
  })

  it('a steady request wins over a pulse, and the pulse comes back when the steady one lets go', () => {
    const { arbiter, timers, writes } = harness()
    arbiter.request('route:flood', 'siren-1', PULSE)
    arbiter.request('fire', 'siren-1', STEADY)
    timers.advance(5000)
    expect(writes).toEqual(['siren-1=true', 'siren-1=true'])
    arbiter.request('fire', 'siren-1', null)
    timers.advance(500)
    expect(writes).toEqual(['siren-1=true', 'siren-1=true', 'siren-1=true', 'siren-1=false'])
  })

  it('writes nothing when a request changes nothing', () => {
    const { arbiter, writes } = harness()
    arbiter.request('a', 'siren-1', null)
    arbiter.request('a', 'siren-1', STEADY)
    arbiter.request('a', 'siren-1', STEADY)
    arbiter.request('b', 'siren-1', STEADY)
    expect(writes).toEqual(['siren-1=false', 'siren-1=true'])
  })

  it('resync writes every device again, once, for adapters that came up after the first request', () => {
    const { arbiter, writes } = harness()
    arbiter.request('fire', 'siren-1', STEADY)
    arbiter.request('fire', 'strobe-1', null)
    arbiter.resync()
    expect(writes).toEqual(['siren-1=true', 'strobe-1=false', 'siren-1=true', 'strobe-1=false'])
  })
})
