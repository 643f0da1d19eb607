import { describe, expect, it } from 'vitest'
import { createConnectionTurns } from './connectionTurns.js'

/** Work that holds the loop for `ms` of CPU, as acting on a message does. */
const busy = (ms: number) => {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // holding the loop on purpose
  }
}

describe('device messages of several connections, taking turns', () => {
  it("a probe's message goes ahead of another connection's backlog, and each connection keeps its order", async () => {
    const turns = createConnectionTurns(1)
    const sender = {}
    const probe = {}
    const order: string[] = []
    const done = new Promise<void>((resolve) => {
      // one socket read of a sender far ahead: all its messages come at once
      for (let i = 1; i <= 4; i++)
        turns(sender, () => {
          order.push(`reading ${i}`)
          busy(2)
          if (order.length === 5) resolve()
        })
      // the probe's PUBLISH, read once the loop polls again
      setImmediate(() =>
        turns(probe, () => {
          order.push('leak')
          if (order.length === 5) resolve()
        }),
      )
    })
    await done
    expect(order.indexOf('leak')).toBeLessThan(order.indexOf('reading 3'))
    expect(order.filter((o) => o !== 'leak')).toEqual(['reading 1', 'reading 2', 'reading 3', 'reading 4'])
  })
})
