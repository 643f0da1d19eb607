import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RAISED_AT, sampleAlarm } from '../channels/testing/sampleEvents.js'
import { openMemoryDatabase, type SqliteDatabase } from '../storage/database.js'
import { createGroupingStore } from './groupingStore.js'

const T0 = Date.parse(RAISED_AT)
const fire = (id: string) => sampleAlarm({ id, deviceId: `smoke-${id}` })

describe('grouping windows in the journal', () => {
  let db: SqliteDatabase
  beforeEach(() => {
    db = openMemoryDatabase()
  })
  afterEach(() => db.close())

  it('reads back each window with its first alarm and its held alarms in order, oldest window first', () => {
    const store = createGroupingStore(db)
    store.saveOpened('staff', T0 + 40_000, T0 + 70_000, fire('a-3'))
    store.saveOpened('staff', T0, T0 + 30_000, fire('a-1'))
    store.saveHeld('staff', T0, T0 + 30_000, 2, fire('a-2b'))
    store.saveHeld('staff', T0, T0 + 30_000, 1, fire('a-2a'))
    const windows = createGroupingStore(db).loadWindows()
    expect(windows.map((w) => [w.startMs, w.endMs, w.first?.id, w.held.map((a) => a.id), w.lastSeq])).toEqual([
      [T0, T0 + 30_000, 'a-1', ['a-2a', 'a-2b'], 2],
      [T0 + 40_000, T0 + 70_000, 'a-3', [], 0],
    ])
    expect(windows[0]).toMatchObject({ channel: 'staff', kind: 'fire' })
    expect(windows[0]?.first).toEqual(fire('a-1'))
  })

  it('deletes only the windows named, every row of each', () => {
    const store = createGroupingStore(db)
    store.saveOpened('staff', T0, T0 + 30_000, fire('a-1'))
    store.saveHeld('staff', T0, T0 + 30_000, 1, fire('a-2'))
    store.saveOpened('staff', T0 + 40_000, T0 + 70_000, fire('a-3'))
    store.saveOpened('duty', T0, T0 + 30_000, fire('b-1'))
    store.deleteWindows([
      { channel: 'staff', kind: 'fire', startMs: T0 },
      { channel: 'duty', kind: 'fire', startMs: T0 },
    ])
    store.deleteWindows([])
    expect(store.loadWindows().map((w) => [w.channel, w.first?.id])).toEqual([['staff', 'a-3']])
  })

  it('skips unreadable rows, and rows that are not the alarm they name, yet keeps their seq', () => {
    const store = createGroupingStore(db)
    store.saveOpened('staff', T0, T0 + 30_000, fire('a-1'))
    store.saveHeld('staff', T0, T0 + 30_000, 1, fire('a-2'))
    store.saveHeld('staff', T0, T0 + 30_000, 2, fire('a-3'))
    store.saveHeld('staff', T0, T0 + 30_000, 3, fire('a-4'))
    db.prepare("UPDATE notification_group SET alarm_json = '[' WHERE alarm_id = 'a-1'").run()
    db.prepare("UPDATE notification_group SET alarm_json = '\"a-2\"' WHERE alarm_id = 'a-2'").run()
    db.prepare("UPDATE notification_group SET alarm_id = 'other' WHERE alarm_id = 'a-4'").run()
    store.saveOpened('duty', T0, T0 + 30_000, fire('b-1'))
    db.prepare("UPDATE notification_group SET kind = 'meteor' WHERE channel = 'duty'").run()
    expect(store.loadWindows()).toEqual([
      {
        channel: 'staff',
        kind: 'fire',
        startMs: T0,
        endMs: T0 + 30_000,
        first: undefined,
        held: [fire('a-3')],
        lastSeq: 3,
      },
    ])
  })
})
