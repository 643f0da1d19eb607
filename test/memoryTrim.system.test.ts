import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'

interface TrimLine {
  readonly msg: string
  readonly beforeMb: { rss: number; anon: number; file: number }
  readonly afterMb: { rss: number; anon: number; file: number }
}

describe('the built gateway trims its memory after the start and then works as before (docs/performance.md#memory-trim)', () => {
  let store: StoreUnderTest

  beforeAll(async () => {
    store = await startStoreUnderTest({ extraYaml: 'memory: { firstTrimSec: 1 }\n' })
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('says what it gave back, holds fewer pages of node than before, and still raises an alarm', async () => {
    const line = await eventually(
      async () =>
        store.gateway.output
          .filter((l) => l.includes('"memory trimmed after the start"'))
          .map((l) => JSON.parse(l) as TrimLine)
          .at(0),
      30_000,
      'the log line of the first memory trim',
    )
    // the executable's start-up pages are unmapped: file-backed RSS falls by far more than the noise
    expect(line.afterMb.file).toBeLessThan(line.beforeMb.file - 10)
    expect(line.afterMb.rss).toBeLessThan(line.beforeMb.rss)
    expect(store.gateway.output.filter((l) => l.includes('memory trim') && l.includes('"level":40'))).toEqual([])

    // the code and data it runs on next come back from the page cache: a panic press is raised as always
    await store.send('panic-counter-1', { pressed: true })
    const robbery = await store.alarmByKey('robbery:panic-counter-1')
    expect(robbery).toMatchObject({ silent: true, state: 'active_unacked' })
    const health = await fetch(`${store.gateway.apiUrl}/healthz`)
    expect(health.status).toBe(200)
  })
})
