import { afterEach, describe, expect, it } from 'vitest'
import { type ReadOnlyDir, readOnlyDir, type SmallDisk, smallDisk } from '../../test/support/diskFaults.js'
import { tempDir } from '../../test/support/tempDir.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { createUplinkStore } from '../bridge/uplinkStore.js'
import type { Alarm } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import type { Ticket } from '../core/ticket.js'
import { createLogger } from '../log.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { createOutboxStore } from '../outbox/outboxStore.js'
import { createTicketStore } from '../tickets/ticketStore.js'
import { openDatabase, type SqliteDatabase } from './database.js'
import { createJournal, type Journal } from './journal.js'
import { openJournalFile } from './journalFile.js'

/**
 * Every store on the journal, against each way an SD card fails: none may
 * throw into the core, each must read back what it wrote while the disk was
 * down, and find it in the file once the disk is back.
 */

interface Fault {
  readonly dataDir: string
  /** True: the disk has failed before the gateway starts. */
  readonly atStart: boolean
  readonly codes: RegExp
  openFile?: (dataDir: string, fileName: string) => SqliteDatabase
  fail(): void
  recover(): void
  remove(): void
}

function fullDisk(): Fault {
  const disk: SmallDisk = smallDisk()
  return {
    dataDir: disk.path,
    atStart: false,
    codes: /^SQLITE_FULL$/,
    fail: () => disk.fill(),
    recover: () => disk.free(),
    remove: () => disk.remove(),
  }
}

function readOnlyAtStart(): Fault {
  const ro: ReadOnlyDir = readOnlyDir()
  return {
    dataDir: ro.path,
    atStart: true,
    codes: /^SQLITE_CANTOPEN$/,
    fail: () => ro.readOnly(),
    recover: () => ro.writable(),
    remove: () => ro.remove(),
  }
}

/** A card that fails writes with EIO: the file's connection throws SQLite's own SQLITE_IOERR_WRITE on every change. */
function ioError(): Fault {
  const dir = tempDir()
  const connections: SqliteDatabase[] = []
  let failing = false
  return {
    dataDir: dir.path,
    atStart: false,
    codes: /^SQLITE_IOERR_WRITE$/,
    openFile(dataDir, fileName) {
      const db = openJournalFile(dataDir, fileName)
      connections.push(db)
      return db
    },
    fail() {
      failing = true
      for (const db of connections.filter((c) => c.open)) {
        db.function('io_fault', () => {
          if (!failing) return null
          throw Object.assign(new Error('disk I/O error'), { name: 'SqliteError', code: 'SQLITE_IOERR_WRITE' })
        })
        const tables = db
          .prepare<[], { name: string }>(
            `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
          )
          .all()
        for (const { name } of tables) {
          for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
            db.exec(
              `CREATE TEMP TRIGGER io_fault_${name}_${op} BEFORE ${op} ON main.${name} BEGIN SELECT io_fault(); END`,
            )
          }
        }
      }
    },
    recover: () => {
      failing = false
    },
    remove: () => dir.remove(),
  }
}

const at = '2026-11-23T10:00:00.000Z'

interface StoreCase {
  readonly name: string
  /**
   * Creates the store (on a healthy disk, unless it failed before the start), calls `failNow`, writes,
   * asserts it reads its own writes; returns the check for the file once the disk is back.
   */
  exercise(db: SqliteDatabase, failNow: () => void): (file: SqliteDatabase) => void
}

const stores: StoreCase[] = [
  {
    name: 'alarm store',
    exercise(db, failNow) {
      const store = createAlarmStore(db)
      failNow()
      const alarm = { id: 'fire-1', key: 'fire:hall', kind: 'fire', state: 'active_unacked', updatedAt: at } as Alarm
      store.save(alarm, 'raised', 'rule:fire')
      store.save({ ...alarm, state: 'active_acked' }, 'acked', 'stan')
      expect(store.history('fire-1').map((e) => e.action)).toEqual(['raised', 'acked'])
      return (file) => expect(createAlarmStore(file).open()).toMatchObject([{ id: 'fire-1', state: 'active_acked' }])
    },
  },
  {
    name: 'notice store',
    exercise(db, failNow) {
      const store = createNoticeStore(db)
      failNow()
      store.save({ id: 'n1', key: 'fire:hall', active: true, updatedAt: at } as Notice)
      expect(store.active().map((n) => n.id)).toEqual(['n1'])
      return (file) =>
        expect(
          createNoticeStore(file)
            .active()
            .map((n) => n.id),
        ).toEqual(['n1'])
    },
  },
  {
    name: 'ticket store',
    exercise(db, failNow) {
      const store = createTicketStore(db)
      failNow()
      const ticket = { id: 't1', deviceId: 'terminal-1', status: 'open', openedAt: at, updatedAt: at } as Ticket
      store.save(ticket, 'opened', 'rule:terminal')
      expect(store.get('t1')?.status).toBe('open')
      return (file) =>
        expect(
          createTicketStore(file)
            .open()
            .map((t) => t.id),
        ).toEqual(['t1'])
    },
  },
  {
    name: 'notification outbox',
    exercise(db, failNow) {
      const store = createOutboxStore(db)
      failNow()
      const { notification } = store.enqueue(
        { channel: 'sms', dedupKey: 'fire-1', payload: { to: 'x' }, expiresAt: 9e12 },
        1,
      )
      expect(store.markDelivered(notification.id, 2)?.status).toBe('delivered')
      const second = store.enqueue({ channel: 'sms', dedupKey: 'fire-2', payload: {}, expiresAt: 9e12 }, 3)
      expect(store.counts()).toMatchObject({ pending: 1, delivered: 1 })
      return (file) => {
        const recovered = createOutboxStore(file)
        expect(recovered.counts()).toMatchObject({ pending: 1, delivered: 1 })
        // the same ids: what the outbox sent while the disk was down is not sent again
        expect(recovered.get(notification.id)?.status).toBe('delivered')
        expect(recovered.get(second.notification.id)?.status).toBe('pending')
      }
    },
  },
  {
    name: 'bridge uplink queue',
    exercise(db, failNow) {
      const store = createUplinkStore(db)
      failNow()
      const message = { topic: 'sg/s1/events', payload: Buffer.from('{}'), retain: false, kind: 'event' as const }
      store.append(
        [
          { ...message, createdAt: 1 },
          { ...message, createdAt: 2 },
        ],
        0,
      )
      const [first] = store.after(0, 10)
      store.remove([first?.seq ?? -1])
      expect(store.size()).toBe(1)
      return (file) =>
        expect(
          createUplinkStore(file)
            .after(0, 10)
            .map((m) => m.createdAt),
        ).toEqual([2])
    },
  },
]

const faults: [string, () => Fault][] = [
  ['a full disk (SQLITE_FULL)', fullDisk],
  ['a data dir read-only from the start (SQLITE_CANTOPEN)', readOnlyAtStart],
  ['a disk failing writes (SQLITE_IOERR)', ioError],
]

describe.each(faults)('the journal stores on %s', (_name, makeFault) => {
  let fault: Fault | undefined
  let journal: Journal | undefined
  afterEach(() => {
    journal?.close()
    journal = undefined
    fault?.remove()
    fault = undefined
  })

  it.each(stores)('the $name keeps working and is caught up in the file when the disk is back', async (store) => {
    fault = makeFault()
    if (fault.atStart) fault.fail()
    journal = createJournal({
      dataDir: fault.dataDir,
      log: createLogger('silent'),
      now: () => 1,
      ...(fault.openFile ? { openFile: fault.openFile } : {}),
    })
    const db = journal.db
    const running = fault
    const check = store.exercise(db, () => {
      if (!running.atStart) running.fail()
    })
    await Promise.resolve()
    expect(journal.health().up).toBe(false)
    expect(journal.health().reason).toMatch(fault.codes)

    fault.recover()
    journal.retry()
    expect(journal.health()).toMatchObject({ up: true, pending: 0 })
    journal.close()
    journal = undefined
    const file = openDatabase(fault.dataDir)
    try {
      check(file)
    } finally {
      file.close()
    }
  })
})
