import { describe, expect, it } from 'vitest'
import { InflightLimit, isQos2InflightCut } from './inflightLimit.js'

describe('the in-flight limit', () => {
  it('runs max messages of a client at once; the next waits, in order, for a slot', () => {
    const limit = new InflightLimit(2)
    const a = {}
    const b = {}
    const started: string[] = []
    const start = (name: string) => () => started.push(name)
    expect(limit.run(a, start('a1'))).toBe(true)
    expect(limit.run(a, start('a2'))).toBe(true)
    expect(limit.run(a, start('a3'))).toBe(false)
    expect(limit.run(a, start('a4'))).toBe(false)
    expect(limit.run(b, start('b1'))).toBe(true)
    expect(started).toEqual(['a1', 'a2', 'b1'])
    limit.release(a)
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3'])
    limit.release(a)
    limit.release(a)
    limit.release(a)
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3', 'a4'])
    // both slots free again
    expect(limit.run(a, start('a5'))).toBe(true)
    expect(limit.run(a, start('a6'))).toBe(true)
    expect(limit.run(a, start('a7'))).toBe(false)
  })

  it('reports a client cut once, however many of its messages fail', () => {
    const limit = new InflightLimit(1)
    const a = {}
    expect(limit.firstCut(a)).toBe(true)
    expect(limit.firstCut(a)).toBe(false)
    expect(limit.firstCut({})).toBe(true)
  })

  it("recognises aedes' QoS 2 cut by its message", () => {
    expect(
      isQos2InflightCut(new Error('maxInflightInbound exceeded: 100 inbound QoS 2 messages already awaiting PUBREL')),
    ).toBe(true)
    expect(isQos2InflightCut(new Error('connection closed'))).toBe(false)
  })
})
