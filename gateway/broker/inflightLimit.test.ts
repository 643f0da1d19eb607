import { describe, expect, it } from 'vitest'
import { InflightLimit, isQos2InflightCut } from './inflightLimit.js'

describe('the in-flight limit', () => {
  it('lets each client have max unacknowledged messages, and more once some are acknowledged', () => {
    const limit = new InflightLimit(2)
    const a = {}
    const b = {}
    expect(limit.take(a)).toBe(true)
    expect(limit.take(a)).toBe(true)
    expect(limit.take(a)).toBe(false)
    expect(limit.take(b)).toBe(true)
    limit.release(a)
    expect(limit.take(a)).toBe(true)
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
