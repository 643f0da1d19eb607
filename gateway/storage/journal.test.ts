import { afterEach, describe, expect, it } from 'vitest'
import { type ReadOnlyDir, readOnlyDir, type SmallDisk, smallDisk } from '../../test/support/diskFaults.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import type { Alarm } from '../core/alarm.js'
import { createLogger } from '../log.js'
import { openDatabase } from './database.js'
import { createJournal, type Journal, type JournalHealth } from './journal.js'

const log = createLogger('silent')

function alarm(id: string, state: Alarm['state'] = 'active_unacked'): Alarm {
  const at = '2026-11-23T10:00:00.000Z'
  return { id, key: `fire:${id}`, kind: 'fire', state, updatedAt: at, raisedAt: at } as Alarm
}

/** What the file itself holds, read by a connection of its own (a restart). */
function historyOnDisk(dir: string, id: string): string[] {
  const db = openDatabase(dir)
  try {
    return createAlarmStore(db)
      .history(id)
      .map((e) => e.action)
  } finally {
    db.close()
  }
}

describe('journal on a failing disk', () => {
  let disk: SmallDisk | undefined
  let ro: ReadOnlyDir | undefined
  let journal: Journal | undefined
  afterEach(() => {
    journal?.close()
    journal = undefined
    disk?.remove()
    disk = undefined
    ro?.remove()
    ro = undefined
  })

  it('keeps writing alarms when the disk is full and puts every one in the file when space returns', async () => {
    disk = smallDisk()
    journal = createJournal({ dataDir: disk.path, log, now: () => 1000 })
    const changes: JournalHealth[] = []
    journal.onChange((h) => changes.push(h))
    const store = createAlarmStore(journal.db)
    store.save(alarm('a1'), 'raised', 'test')
    disk.fill()

    expect(() => store.save(alarm('a1', 'active_acked'), 'acked', 'staff')).not.toThrow()
    store.save(alarm('a2'), 'raised', 'test')
    await Promise.resolve()
    expect(journal.health()).toMatchObject({ up: false, reason: 'SQLITE_FULL', pending: 2, memoryOnly: false })
    expect(changes.map((c) => c.up)).toEqual([false])
    // the console reads history from the in-memory copy, older entries included
    expect(store.history('a1').map((e) => e.action)).toEqual(['raised', 'acked'])

    journal.retry()
    expect(journal.health().up).toBe(false)
    disk.free()
    journal.retry()
    expect(journal.health()).toMatchObject({ up: true, pending: 0, lostTotal: 0 })
    expect(changes.map((c) => c.up)).toEqual([false, true])
    store.save(alarm('a1', 'closed'), 'reset', 'staff')
    journal.close()
    journal = undefined
    expect(historyOnDisk(disk.path, 'a1')).toEqual(['raised', 'acked', 'reset'])
    expect(historyOnDisk(disk.path, 'a2')).toEqual(['raised'])
  })

  it('starts in memory when the file cannot be created and moves into it once the disk is writable', () => {
    ro = readOnlyDir()
    ro.readOnly()
    journal = createJournal({ dataDir: ro.path, log, now: () => 1000 })
    expect(journal.health()).toMatchObject({ up: false, memoryOnly: true, reason: 'SQLITE_CANTOPEN' })
    const store = createAlarmStore(journal.db)
    store.save(alarm('a1'), 'raised', 'test')
    expect(store.open().map((a) => a.id)).toEqual(['a1'])

    journal.retry()
    expect(journal.health().up).toBe(false)
    ro.writable()
    journal.retry()
    expect(journal.health()).toMatchObject({ up: true, memoryOnly: false })
    store.save(alarm('a1', 'active_acked'), 'acked', 'staff')
    journal.close()
    journal = undefined
    expect(historyOnDisk(ro.path, 'a1')).toEqual(['raised', 'acked'])
  })

  it('starts in memory when the data dir itself cannot be created, and creates it once it can', () => {
    ro = readOnlyDir()
    ro.readOnly()
    const dataDir = `${ro.path}/data`
    journal = createJournal({ dataDir, log, now: () => 1000 })
    // Node's recursive mkdir reports a read-only parent as ENOENT
    expect(journal.health()).toMatchObject({ up: false, memoryOnly: true })
    expect(journal.health().reason).toMatch(/^(EROFS|ENOENT)$/)
    const store = createAlarmStore(journal.db)
    store.save(alarm('a1'), 'raised', 'test')

    ro.writable()
    journal.retry()
    expect(journal.health().up).toBe(true)
    journal.close()
    journal = undefined
    expect(historyOnDisk(dataDir, 'a1')).toEqual(['raised'])
  })

  it('starts on a read-only journal that already exists, keeps its history on show, and catches the file up', () => {
    ro = readOnlyDir()
    const before = openDatabase(ro.source)
    createAlarmStore(before).save(alarm('old'), 'raised', 'test')
    before.close()
    ro.readOnly()
    journal = createJournal({ dataDir: ro.path, log, now: () => 1000 })
    const store = createAlarmStore(journal.db)
    // the alarm open before the restart is still there to annunciate
    expect(store.open().map((a) => a.id)).toEqual(['old'])
    store.save(alarm('old', 'active_acked'), 'acked', 'staff')
    expect(journal.health().up).toBe(false)
    expect(journal.health().reason).toMatch(/^SQLITE_(READONLY|CANTOPEN|IOERR)/)

    ro.writable()
    journal.retry()
    expect(journal.health().up).toBe(true)
    journal.close()
    journal = undefined
    expect(historyOnDisk(ro.path, 'old')).toEqual(['raised', 'acked'])
  })

  it('holds a bounded number of writes and counts, per table, the oldest it had to drop', async () => {
    disk = smallDisk()
    journal = createJournal({ dataDir: disk.path, log, now: () => 1000, maxPending: 3 })
    const lost: string[] = []
    journal.onLost((table) => lost.push(table))
    const store = createAlarmStore(journal.db)
    disk.fill()
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) store.save(alarm(id), 'raised', 'test')
    expect(journal.health()).toMatchObject({ pending: 3, lostTotal: 2, lost: { alarms: 2 } })
    expect(lost).toEqual(['alarms', 'alarms'])

    disk.free()
    journal.retry()
    journal.close()
    journal = undefined
    expect(['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => historyOnDisk(disk?.path ?? '', id).length)).toEqual([
      0, 0, 1, 1, 1,
    ])
  })

  it('still throws what is not a disk failure: a bug must not hide as a degraded journal', () => {
    disk = smallDisk()
    journal = createJournal({ dataDir: disk.path, log, now: () => 1000 })
    const db = journal.db
    db.exec('CREATE TABLE IF NOT EXISTS uniq (id TEXT PRIMARY KEY)')
    const insert = db.prepare('INSERT INTO uniq (id) VALUES (?)')
    insert.run('x')
    expect(() => insert.run('x')).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }))
    expect(journal.health().up).toBe(true)
  })
})
