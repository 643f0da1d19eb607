import { describe, expect, it } from 'vitest'
import { createFairCheckQueue } from './fairCheckQueue.js'

/** Checks that finish only when the test says so, recording the order they started in. */
function heldChecks() {
  const started: string[] = []
  const releases: Array<() => void> = []
  const check = (name: string) => () => {
    started.push(name)
    return new Promise<string>((resolve) => releases.push(() => resolve(name)))
  }
  /** Finishes the oldest running check and lets the queue start the next. */
  const finishOne = async () => {
    releases.shift()?.()
    await settled()
  }
  return { started, check, finishOne }
}

/** Lets every promise already resolved run its callbacks (checks start on a later tick). */
const settled = () => new Promise((resolve) => setImmediate(resolve))

describe('fair check queue', () => {
  it('runs at most maxConcurrent checks at once', async () => {
    const { started, check, finishOne } = heldChecks()
    const q = createFairCheckQueue({ maxConcurrent: 2, maxQueuedPerSource: 10 })
    const runs = ['a1', 'a2', 'a3'].map((n) => q.run('a', check(n)))
    await settled()
    expect(started).toEqual(['a1', 'a2'])
    expect(q.stats()).toEqual({ running: 2, waiting: 1, sources: 1 })
    await finishOne()
    expect(started).toEqual(['a1', 'a2', 'a3'])
    await finishOne()
    await finishOne()
    expect(await Promise.all(runs)).toEqual([
      { kind: 'done', value: 'a1' },
      { kind: 'done', value: 'a2' },
      { kind: 'done', value: 'a3' },
    ])
    expect(q.stats()).toEqual({ running: 0, waiting: 0, sources: 0 })
  })

  it('serves waiting sources round-robin: a newcomer waits one round, not behind a flood', async () => {
    const { started, check, finishOne } = heldChecks()
    const q = createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 10 })
    for (let i = 1; i <= 6; i++) void q.run('flood', check(`f${i}`))
    void q.run('other-flood', check('o1'))
    void q.run('other-flood', check('o2'))
    const manager = q.run('manager', check('m1'))
    await settled()
    expect(started).toEqual(['f1'])
    await finishOne()
    await finishOne()
    await finishOne()
    // after f1: one from each waiting source in turn
    expect(started).toEqual(['f1', 'f2', 'o1', 'm1'])
    await finishOne()
    expect(await manager).toEqual({ kind: 'done', value: 'm1' })
    for (let i = 0; i < 5; i++) await finishOne()
    expect(started).toEqual(['f1', 'f2', 'o1', 'm1', 'f3', 'o2', 'f4', 'f5', 'f6'])
  })

  it('tells only the source over its bound that it is busy', async () => {
    const { check } = heldChecks()
    const q = createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 2 })
    void q.run('flood', check('running')) // runs: not waiting
    void q.run('flood', check('w1'))
    void q.run('flood', check('w2'))
    expect(await q.run('flood', check('w3'))).toEqual({ kind: 'busy' })
    const other = q.run('other', check('x'))
    expect(q.stats()).toEqual({ running: 1, waiting: 3, sources: 2 })
    void other
  })

  it('bounds the number of sources waiting', async () => {
    const { check } = heldChecks()
    const q = createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 2, maxSources: 2 })
    void q.run('s0', check('running'))
    void q.run('s1', check('a'))
    void q.run('s2', check('b'))
    expect(await q.run('s3', check('c'))).toEqual({ kind: 'busy' })
    // a source already waiting may still queue up to its own bound
    expect(q.stats().sources).toBe(2)
    void q.run('s1', check('a2'))
    expect(q.stats().waiting).toBe(3)
  })

  it('frees the slot of a check that fails, and passes the failure on', async () => {
    const q = createFairCheckQueue({ maxConcurrent: 1 })
    const failed = q.run('a', () => {
      throw new Error('boom')
    })
    await expect(failed).rejects.toThrow('boom')
    expect(await q.run('a', async () => 1)).toEqual({ kind: 'done', value: 1 })
    expect(q.stats()).toEqual({ running: 0, waiting: 0, sources: 0 })
  })

  it('by default checks a whole store of 40 devices logging in at once from one address', async () => {
    const { started, check, finishOne } = heldChecks()
    const q = createFairCheckQueue()
    const outcomes = Array.from({ length: 40 }, (_, i) => q.run('10.0.0.1', check(`device-${i + 1}`)))
    await settled()
    for (let i = 0; i < 40; i++) await finishOne()
    expect((await Promise.all(outcomes)).map((o) => o.kind)).toEqual(Array(40).fill('done'))
    expect(started).toHaveLength(40)
  })
})
