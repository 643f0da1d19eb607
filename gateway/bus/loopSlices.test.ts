import { describe, expect, it } from 'vitest'
import { createLoopSlices } from './loopSlices.js'

describe('device messages handled in slices of the event loop', () => {
  it('lets other work run inside a long run of back-to-back messages, and keeps their order', async () => {
    // a slice of 0 ms: every message after the first of a run waits for the loop's turn
    const slices = createLoopSlices(0)
    const order: string[] = []
    await new Promise<void>((resolve) => {
      let n = 0
      // as mqtt.js does: the next packet is handled once the previous one is acknowledged
      const handle = () => {
        order.push(`message ${n}`)
        if (++n === 3) resolve()
        else slices(handle)
      }
      setImmediate(() => order.push('other work'))
      slices(handle)
    })
    expect(order.indexOf('other work')).toBeLessThan(order.indexOf('message 2'))
    expect(order.filter((o) => o !== 'other work')).toEqual(['message 0', 'message 1', 'message 2'])
  })
})
