import { afterEach, describe, expect, it } from 'vitest'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { RAISED_AT, sampleAlarm } from '../channels/testing/sampleEvents.js'
import { openMemoryDatabase, type SqliteDatabase } from '../storage/database.js'
import { renderDigest } from './digest.js'
import { createGrouping as createGroupingIn } from './grouping.js'
import { createGroupingStore } from './groupingStore.js'

const T0 = Date.parse(RAISED_AT)
const fire = (id: string, zone = 'hall') => sampleAlarm({ id, zone, deviceId: `smoke-${id}` })
const flood = (id: string) => sampleAlarm({ id, kind: 'flood', severity: 'major' })

// One behaviour, with and without a journal (the store contract, MQTT.js style).
const variants = [
  { name: 'in memory', withStore: false },
  { name: 'journaled', withStore: true },
]

describe.each(variants)(
  'grouping alarms of one kind into one message, on an injected clock ($name)',
  ({ withStore }) => {
    let db: SqliteDatabase | undefined
    afterEach(() => db?.close())
    function createGrouping(windowMs: number) {
      if (!withStore) return createGroupingIn(windowMs)
      db = openMemoryDatabase()
      return createGroupingIn(windowMs, createGroupingStore(db))
    }

    it('sends the first at once, holds the rest of the window, and returns them as one digest when it ends', () => {
      const grouping = createGrouping(30_000)
      expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
      expect(grouping.offer('staff', fire('a-2'), T0 + 5_000)).toBe(false)
      expect(grouping.offer('staff', fire('a-3'), T0 + 29_999)).toBe(false)
      expect(grouping.held()).toBe(2)
      expect(grouping.tick(T0 + 29_999)).toEqual([])
      const [digest, ...rest] = grouping.tick(T0 + 30_000)
      expect(rest).toEqual([])
      expect(digest).toMatchObject({ channel: 'staff', kind: 'fire', windowStartMs: T0, windowEndMs: T0 + 30_000 })
      expect(digest?.first.id).toBe('a-1')
      expect(digest?.alarms.map((a) => a.id)).toEqual(['a-2', 'a-3'])
      expect(grouping.tick(T0 + 60_000)).toEqual([])
      expect(grouping.held()).toBe(0)
    })

    it('a window that held nothing ends quietly, and the next alarm opens a new window and is sent at once', () => {
      const grouping = createGrouping(30_000)
      expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
      expect(grouping.tick(T0 + 30_000)).toEqual([])
      expect(grouping.offer('staff', fire('a-2'), T0 + 30_000)).toBe(true)
    })

    it('keys on channel and kind: another kind or another channel is not held', () => {
      const grouping = createGrouping(30_000)
      expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
      expect(grouping.offer('staff', flood('f-1'), T0 + 1)).toBe(true)
      expect(grouping.offer('duty', fire('a-2'), T0 + 2)).toBe(true)
      expect(grouping.offer('staff', fire('a-2'), T0 + 3)).toBe(false)
      expect(grouping.tick(T0 + 30_000).map((d) => [d.channel, d.kind, d.alarms.length])).toEqual([
        ['staff', 'fire', 1],
      ])
    })

    it('the same alarm offered twice in a window is held once', () => {
      const grouping = createGrouping(30_000)
      grouping.offer('staff', fire('a-1'), T0)
      grouping.offer('staff', fire('a-1'), T0 + 1)
      grouping.offer('staff', fire('a-2'), T0 + 2)
      grouping.offer('staff', fire('a-2'), T0 + 3)
      expect(grouping.tick(T0 + 30_000)[0]?.alarms.map((a) => a.id)).toEqual(['a-2'])
    })

    it('a window of 0 turns grouping off', () => {
      const grouping = createGrouping(0)
      expect(grouping.offer('staff', fire('a-1'), T0)).toBe(true)
      expect(grouping.offer('staff', fire('a-2'), T0)).toBe(true)
      expect(grouping.tick(T0 + 1)).toEqual([])
    })

    it('the digest lists every held alarm, in the store locale', () => {
      const grouping = createGrouping(30_000)
      grouping.offer('staff', fire('a-1'), T0)
      grouping.offer('staff', fire('a-2', 'backroom'), T0 + 1)
      grouping.offer('staff', fire('a-3', 'entrance'), T0 + 2)
      const [digest] = grouping.tick(T0 + 30_000)
      if (digest === undefined) throw new Error('no digest')
      const en = renderDigest(digest, { locale: 'en', storeName: 'Test store', consoleUrl: 'https://c.test/' })
      expect(en.title).toContain('2 more alarms')
      expect(en.text).toContain('backroom · smoke-a-2')
      expect(en.text).toContain('entrance · smoke-a-3')
      expect(en.text).toContain('https://c.test/alarms')
      expect(en.confidential).toBe(false)
      expect(renderDigest(digest).title).toContain('又有 2 条新告警')
    })

    it('the digest names the zones by what staff call them; a zone not listed keeps its id', () => {
      const grouping = createGrouping(30_000)
      grouping.offer('staff', fire('a-1'), T0)
      grouping.offer('staff', fire('a-2', 'backroom'), T0 + 1)
      grouping.offer('staff', fire('a-3', 'entrance'), T0 + 2)
      const [digest] = grouping.tick(T0 + 30_000)
      if (digest === undefined) throw new Error('no digest')
      const zoneNames = { backroom: { 'zh-CN': '后台库房', en: 'Back office' } }
      const en = renderDigest(digest, { locale: 'en', zoneNames })
      expect(en.text).toContain('Back office · smoke-a-2')
      expect(en.text).toContain('entrance · smoke-a-3')
      expect(en.short).toContain('Back office')
      expect(renderDigest(digest, { zoneNames }).text).toContain('后台库房 · smoke-a-2')
    })

    it('a window that ended before tick ran still yields its digest when the next alarm opens a new window', () => {
      const grouping = createGrouping(30_000)
      grouping.offer('staff', fire('a-1'), T0)
      grouping.offer('staff', fire('a-2'), T0 + 1)
      expect(grouping.offer('staff', fire('a-3'), T0 + 30_000)).toBe(true)
      expect(grouping.offer('staff', fire('a-4'), T0 + 30_001)).toBe(false)
      expect(grouping.held()).toBe(2)
      expect(grouping.tick(T0 + 30_001).map((d) => [d.first.id, d.alarms.map((a) => a.id)])).toEqual([['a-1', ['a-2']]])
      expect(grouping.tick(T0 + 60_000).map((d) => [d.first.id, d.alarms.map((a) => a.id)])).toEqual([['a-3', ['a-4']]])
      expect(grouping.held()).toBe(0)
    })
  },
)

describe('grouping windows kept in the journal across a restart', () => {
  const journal = useTempJournal()

  /** A gateway restart: a fresh grouping over a fresh connection to the same file. */
  function restart(windowMs = 30_000) {
    journal.reopen()
    return createGroupingIn(windowMs, createGroupingStore(journal.db))
  }
  const rows = () => (journal.db.prepare('SELECT COUNT(*) AS n FROM notification_group').get() as { n: number }).n

  it('a digest held when the gateway died goes out after the restart, once, with its alarms in order', () => {
    const before = createGroupingIn(30_000, createGroupingStore(journal.db))
    before.offer('staff', fire('a-1'), T0)
    before.offer('staff', fire('a-2'), T0 + 1)
    before.offer('staff', fire('a-3'), T0 + 2)
    before.offer('duty', flood('f-1'), T0 + 3)
    before.offer('duty', flood('f-2'), T0 + 4)

    const after = restart()
    expect(after.held()).toBe(3)
    const digests = after.tick(T0 + 60_000)
    expect(digests.map((d) => [d.channel, d.kind, d.first.id, d.alarms.map((a) => a.id)])).toEqual([
      ['staff', 'fire', 'a-1', ['a-2', 'a-3']],
      ['duty', 'flood', 'f-1', ['f-2']],
    ])
    expect(digests[0]).toMatchObject({ windowStartMs: T0, windowEndMs: T0 + 30_000 })
    expect(digests[0]?.alarms[0]).toEqual(fire('a-2'))
    expect(after.tick(T0 + 90_000)).toEqual([])
    expect(rows()).toBe(0)
    expect(restart().tick(T0 + 90_000)).toEqual([])
  })

  it('a window still open at the restart keeps holding, and a repeat of a held alarm is still held once', () => {
    const before = createGroupingIn(30_000, createGroupingStore(journal.db))
    before.offer('staff', fire('a-1'), T0)
    before.offer('staff', fire('a-2'), T0 + 1)

    const after = restart()
    expect(after.offer('staff', fire('a-1'), T0 + 10_000)).toBe(false)
    expect(after.offer('staff', fire('a-2'), T0 + 10_000)).toBe(false)
    expect(after.offer('staff', fire('a-3'), T0 + 10_001)).toBe(false)
    expect(after.tick(T0 + 29_999)).toEqual([])
    expect(
      restart()
        .tick(T0 + 30_000)[0]
        ?.alarms.map((a) => a.id),
    ).toEqual(['a-2', 'a-3'])
  })

  it('a window that held nothing leaves no rows, and a window of 0 writes none', () => {
    const grouping = createGroupingIn(30_000, createGroupingStore(journal.db))
    grouping.offer('staff', fire('a-1'), T0)
    expect(rows()).toBe(1)
    expect(grouping.tick(T0 + 30_000)).toEqual([])
    expect(rows()).toBe(0)
    // the next alarm replaces an ended, empty window without waiting for tick
    grouping.offer('staff', fire('a-2'), T0 + 60_000)
    grouping.offer('staff', fire('a-3'), T0 + 90_000)
    expect(rows()).toBe(1)

    const off = restart(0)
    off.tick(T0 + 200_000)
    expect(off.offer('staff', fire('a-4'), T0 + 200_000)).toBe(true)
    expect(rows()).toBe(0)
  })

  it('a row that cannot be read is skipped, and the rest of its window and the other windows still go out', () => {
    const before = createGroupingIn(30_000, createGroupingStore(journal.db))
    before.offer('staff', fire('a-1'), T0)
    before.offer('staff', fire('a-2'), T0 + 1)
    before.offer('staff', fire('a-3'), T0 + 2)
    before.offer('duty', fire('b-1'), T0 + 3)
    before.offer('duty', fire('b-2'), T0 + 4)
    journal.db.prepare("UPDATE notification_group SET alarm_json = '{oops' WHERE alarm_id IN ('a-2', 'b-1')").run()

    const after = restart()
    const digests = after.tick(T0 + 60_000)
    expect(digests.map((d) => [d.channel, d.first.id, d.alarms.map((a) => a.id)])).toEqual([
      ['staff', 'a-1', ['a-3']],
      // the unreadable first alarm: the earliest held one stands in, and is still listed
      ['duty', 'b-2', ['b-2']],
    ])
    expect(rows()).toBe(0)
  })

  it("tick inside the caller's transaction: if queuing the digest fails, the window is back after the restart", () => {
    const before = createGroupingIn(30_000, createGroupingStore(journal.db))
    before.offer('staff', fire('a-1'), T0)
    before.offer('staff', fire('a-2'), T0 + 1)
    const queueDigests = journal.db.transaction(() => {
      expect(before.tick(T0 + 30_000)).toHaveLength(1)
      throw new Error('outbox full')
    })
    expect(queueDigests).toThrow('outbox full')
    expect(
      restart()
        .tick(T0 + 30_000)[0]
        ?.alarms.map((a) => a.id),
    ).toEqual(['a-2'])
  })

  it('an alarm held after a restart never collides with an unreadable row of its window', () => {
    const before = createGroupingIn(30_000, createGroupingStore(journal.db))
    before.offer('staff', fire('a-1'), T0)
    before.offer('staff', fire('a-2'), T0 + 1)
    journal.db.prepare("UPDATE notification_group SET alarm_json = 'null' WHERE alarm_id = 'a-2'").run()

    const after = restart()
    expect(after.offer('staff', fire('a-3'), T0 + 2)).toBe(false)
    expect(after.tick(T0 + 30_000)[0]?.alarms.map((a) => a.id)).toEqual(['a-3'])
  })
})
