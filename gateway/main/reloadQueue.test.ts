import { describe, expect, it } from 'vitest'
import { createReloadQueue } from './reloadQueue.js'

/** A target whose reloads finish only when the test says so. */
function gatedTarget() {
  const started: (() => void)[] = []
  return {
    started,
    target: {
      reload: () => new Promise<{ result: string }>((resolve) => started.push(() => resolve({ result: 'applied' }))),
    },
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('reload queue', () => {
  it('keeps a request made while the gateway starts and runs it once it is up', async () => {
    const queue = createReloadQueue(() => {})
    const { target, started } = gatedTarget()
    queue.request()
    await settle()
    const said: string[] = []
    queue.attach(target, {
      reloading: async () => {
        said.push('RELOADING')
      },
      reloaded: (status) => said.push(status),
    })
    await settle()
    expect(started).toHaveLength(1)
    started[0]?.()
    await queue.idle()
    expect(said).toEqual(['RELOADING', 'config reload applied'])
  })

  it('runs one reload at a time and folds the requests made meanwhile into one more', async () => {
    const queue = createReloadQueue(() => {})
    const { target, started } = gatedTarget()
    queue.attach(target, { reloading: async () => {}, reloaded: () => {} })
    queue.request()
    await settle()
    queue.request()
    queue.request()
    await settle()
    expect(started).toHaveLength(1)
    started[0]?.()
    await settle()
    await settle()
    expect(started).toHaveLength(2)
    started[1]?.()
    await queue.idle()
    expect(started).toHaveLength(2)
  })

  it('on close, lets the reload under way end, drops the ones asked for and starts no other', async () => {
    const queue = createReloadQueue(() => {})
    const { target, started } = gatedTarget()
    queue.attach(target, { reloading: async () => {}, reloaded: () => {} })
    queue.request()
    await settle()
    queue.request()
    let closed = false
    const closing = queue.close().then(() => {
      closed = true
    })
    await settle()
    expect(closed).toBe(false)
    started[0]?.()
    await closing
    queue.request()
    await settle()
    expect(started).toHaveLength(1)
  })
})
