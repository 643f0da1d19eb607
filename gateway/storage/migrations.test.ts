import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { type ReadOnlyDir, readOnlyDir, type SmallDisk, smallDisk } from '../../test/support/diskFaults.js'
import { tempDir } from '../../test/support/tempDir.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { createClosedAlarmStore } from '../alarms/closedAlarmStore.js'
import { createUplinkStore } from '../bridge/uplinkStore.js'
import { createLogger } from '../log.js'
import { createOutboxStore } from '../outbox/outboxStore.js'
import { openDiskBuffer } from '../sinks/influx/diskBuffer.js'
import { createTicketStore } from '../tickets/ticketStore.js'
import { openDatabase } from './database.js'
import { createJournal, type Journal } from './journal.js'
import { JOURNAL_MIGRATIONS } from './journalSchema.js'
import { type Migration, migrate, SchemaTooNewError, userVersion } from './migrations.js'
import { FIRST_RELEASE_ALARM, writeFirstReleaseJournal } from './testing/firstReleaseJournal.js'

const JOURNAL_TABLES = [
  'alarm_journal',
  'alarms',
  'bridge_commands',
  'ha_discovery',
  'job_runs',
  'journal_probe',
  'notices',
  'notification_escalation',
  'notification_group',
  'outbox',
  'ticket_journal',
  'tickets',
  'uplink',
]

/** Log lines as objects, to check what a migration said. */
function capturedLog() {
  const lines: Record<string, unknown>[] = []
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) })
  return { log, lines, migrations: () => lines.filter((l) => l.msg === 'schema migration applied') }
}

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .all()
    .map((t) => t.name)
}

function columns(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)
}

/** What a file holds, read by a plain connection that migrates nothing. */
function onDisk<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'storeguard.db'), { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

/** The journal's version as this code leaves it, and the one a test's own step makes next. */
const CURRENT = JOURNAL_MIGRATIONS.length
const NEXT = CURRENT + 1

/** The next version in a test: a column on alarms, with a value for the rows already there. */
const addAlarmSite: Migration = {
  version: NEXT,
  description: 'alarms get a site',
  up: (db) => db.exec(`ALTER TABLE alarms ADD COLUMN site TEXT NOT NULL DEFAULT 'main'`),
}

describe('journal schema versions', () => {
  let dir: ReturnType<typeof tempDir> | undefined
  let journal: Journal | undefined
  let ro: ReadOnlyDir | undefined
  let disk: SmallDisk | undefined
  afterEach(() => {
    journal?.close()
    journal = undefined
    dir?.remove()
    dir = undefined
    ro?.remove()
    ro = undefined
    disk?.remove()
    disk = undefined
  })

  it('creates every table in an empty file, sets its version and logs each migration', () => {
    dir = tempDir()
    const { log, migrations } = capturedLog()
    journal = createJournal({ dataDir: dir.path, log, now: () => 1 })
    expect(journal.health().up).toBe(true)
    journal.close()
    journal = undefined

    expect(onDisk(dir.path, userVersion)).toBe(CURRENT)
    expect(onDisk(dir.path, tables)).toEqual(JOURNAL_TABLES)
    expect(migrations()).toEqual(
      JOURNAL_MIGRATIONS.map((m) =>
        expect.objectContaining({
          mod: 'journal',
          file: join(dir?.path ?? '', 'storeguard.db'),
          version: m.version,
          from: 0,
          description: m.description,
        }),
      ),
    )
  })

  it('adopts a file of the release before versions as version 1, its rows intact', () => {
    dir = tempDir()
    const { notificationId } = writeFirstReleaseJournal(dir.path)
    expect(onDisk(dir.path, userVersion)).toBe(0)

    journal = createJournal({ dataDir: dir.path, log: createLogger('silent'), now: () => 1 })
    expect(createAlarmStore(journal.db).open()).toEqual([{ ...FIRST_RELEASE_ALARM, state: 'active_acked' }])
    expect(
      createAlarmStore(journal.db)
        .history(FIRST_RELEASE_ALARM.id)
        .map((e) => e.action),
    ).toEqual(['raised', 'acked'])
    expect(
      createTicketStore(journal.db)
        .open()
        .map((t) => t.id),
    ).toEqual(['t1'])
    expect(createOutboxStore(journal.db).get(notificationId)?.status).toBe('pending')
    // the tables that release had not created yet are there now
    expect(createUplinkStore(journal.db).size()).toBe(0)
    journal.close()
    journal = undefined

    expect(onDisk(dir.path, userVersion)).toBe(CURRENT)
    expect(onDisk(dir.path, tables)).toEqual(JOURNAL_TABLES)
  })

  it('indexes the closed alarms of a first-release file for the history, and pages them', () => {
    dir = tempDir()
    writeFirstReleaseJournal(dir.path)
    const closedAt = '2026-11-23T10:00:00.000Z'
    journal = createJournal({ dataDir: dir.path, log: createLogger('silent'), now: () => 1 })
    createAlarmStore(journal.db).save({ ...FIRST_RELEASE_ALARM, state: 'closed', updatedAt: closedAt }, 'reset', 'stan')
    const page = createClosedAlarmStore(journal.db).page({
      since: null,
      before: null,
      kind: 'fire',
      zone: null,
      after: null,
      limit: 10,
    })
    expect(page.map((a) => [a.id, a.updatedAt])).toEqual([['fire-1', closedAt]])
    journal.close()
    journal = undefined

    const indexes = (db: Database.Database) =>
      db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'alarms'`)
        .all()
    expect(onDisk(dir.path, indexes).map((i) => i.name)).toContain('alarms_closed')
    expect(onDisk(dir.path, userVersion)).toBe(CURRENT)
  })

  it('applies a new version to a file at the current version, keeping its rows', () => {
    dir = tempDir()
    const v1 = openDatabase(dir.path)
    createAlarmStore(v1).save(FIRST_RELEASE_ALARM, 'raised', 'rule:fire')
    v1.close()

    const { log, migrations } = capturedLog()
    journal = createJournal({
      dataDir: dir.path,
      log,
      now: () => 1,
      migrations: [...JOURNAL_MIGRATIONS, addAlarmSite],
    })
    expect(
      createAlarmStore(journal.db)
        .open()
        .map((a) => a.id),
    ).toEqual(['fire-1'])
    journal.close()
    journal = undefined

    expect(onDisk(dir.path, userVersion)).toBe(NEXT)
    expect(onDisk(dir.path, (db) => db.prepare('SELECT id, site FROM alarms').all())).toEqual([
      { id: 'fire-1', site: 'main' },
    ])
    expect(migrations()).toEqual([
      expect.objectContaining({ version: NEXT, from: CURRENT, description: 'alarms get a site' }),
    ])
  })

  it('refuses a file newer than the code, naming the file and both versions, and leaves it as it was', () => {
    dir = tempDir()
    const newer = openDatabase(dir.path)
    newer.pragma('user_version = 7')
    newer.close()
    const file = join(dir.path, 'storeguard.db')

    const start = () => createJournal({ dataDir: dir?.path ?? '', log: createLogger('silent'), now: () => 1 })
    expect(start).toThrow(SchemaTooNewError)
    expect(start).toThrow(
      `${file} has schema version 7, newer than the highest this gateway knows (${CURRENT}): refusing to open it`,
    )
    expect(() => openDatabase(dir?.path ?? '')).toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }))
    expect(onDisk(dir.path, userVersion)).toBe(7)
  })

  it('rolls a migration that throws back whole: the version and the schema stay as they were', () => {
    dir = tempDir()
    openDatabase(dir.path).close()
    const broken: Migration = {
      version: NEXT,
      description: 'half done',
      up(db) {
        db.exec('CREATE TABLE half (id INTEGER)')
        db.exec('ALTER TABLE alarms ADD COLUMN site TEXT')
        throw new Error('a bug in the migration')
      },
    }

    expect(() =>
      createJournal({
        dataDir: dir?.path ?? '',
        log: createLogger('silent'),
        now: () => 1,
        migrations: [...JOURNAL_MIGRATIONS, broken],
      }),
    ).toThrow('a bug in the migration')
    expect(onDisk(dir.path, userVersion)).toBe(CURRENT)
    expect(onDisk(dir.path, tables)).toEqual(JOURNAL_TABLES)
    expect(onDisk(dir.path, (db) => columns(db, 'alarms'))).not.toContain('site')
  })

  it('refuses versions that are not 1, 2, 3… in order', () => {
    const db = new Database(':memory:')
    try {
      expect(() =>
        migrate(db, [JOURNAL_MIGRATIONS[0] as Migration, { ...addAlarmSite, version: 3 }], { file: 'x' }),
      ).toThrow('migration "alarms get a site" has version 3, expected 2')
      expect(userVersion(db)).toBe(0)
    } finally {
      db.close()
    }
  })

  it('gives the in-memory journal of a read-only start its schema, and the file once it is writable', () => {
    ro = readOnlyDir()
    ro.readOnly()
    journal = createJournal({ dataDir: ro.path, log: createLogger('silent'), now: () => 1 })
    expect(journal.health()).toMatchObject({ up: false, memoryOnly: true })
    expect(journal.db.pragma('user_version', { simple: true })).toBe(CURRENT)
    createAlarmStore(journal.db).save(FIRST_RELEASE_ALARM, 'raised', 'rule:fire')
    createUplinkStore(journal.db).append(
      [{ topic: 'sg/s1/events', payload: Buffer.from('{}'), retain: false, kind: 'event', createdAt: 1 }],
      0,
    )

    ro.writable()
    journal.retry()
    expect(journal.health()).toMatchObject({ up: true, pending: 0 })
    journal.close()
    journal = undefined
    expect(onDisk(ro.path, userVersion)).toBe(CURRENT)
    expect(onDisk(ro.path, (db) => db.prepare('SELECT count(*) AS n FROM alarm_journal').get())).toEqual({ n: 1 })
  })

  it('migrates the read-only copy of a file from before versions in memory, and the file once it is writable', () => {
    ro = readOnlyDir()
    writeFirstReleaseJournal(ro.source)
    ro.readOnly()
    journal = createJournal({ dataDir: ro.path, log: createLogger('silent'), now: () => 1 })
    expect(journal.health()).toMatchObject({ up: false, memoryOnly: true })
    const alarms = createAlarmStore(journal.db)
    expect(alarms.open().map((a) => a.id)).toEqual(['fire-1'])
    alarms.save({ ...FIRST_RELEASE_ALARM, state: 'closed' }, 'cleared', 'stan')
    expect(onDisk(ro.source, userVersion)).toBe(0)

    ro.writable()
    journal.retry()
    expect(journal.health().up).toBe(true)
    journal.close()
    journal = undefined
    expect(onDisk(ro.path, userVersion)).toBe(CURRENT)
    expect(onDisk(ro.path, (db) => db.prepare('SELECT state FROM alarms').all())).toEqual([{ state: 'closed' }])
  })

  it('starts in memory when the disk is too full to migrate, and migrates the file when space returns', () => {
    disk = smallDisk()
    // held open so its WAL index is already there: the file opens, and only the migration meets the full disk
    const holder = openDatabase(disk.path)
    disk.fill()
    const bigger: Migration = {
      version: NEXT,
      description: 'a table that needs room',
      up(db) {
        db.exec('CREATE TABLE room (blob BLOB)')
        db.prepare('INSERT INTO room (blob) VALUES (zeroblob(?))').run(256 * 1024)
      },
    }
    const migrations = [...JOURNAL_MIGRATIONS, bigger]
    journal = createJournal({ dataDir: disk.path, log: createLogger('silent'), now: () => 1, migrations })
    holder.close()
    expect(journal.health()).toMatchObject({ up: false, memoryOnly: false, reason: 'SQLITE_FULL' })
    expect(journal.db.pragma('user_version', { simple: true })).toBe(NEXT)
    createAlarmStore(journal.db).save(FIRST_RELEASE_ALARM, 'raised', 'rule:fire')

    disk.free()
    journal.retry()
    expect(journal.health().up).toBe(true)
    journal.close()
    journal = undefined
    expect(onDisk(disk.path, userVersion)).toBe(NEXT)
    expect(onDisk(disk.path, (db) => db.prepare('SELECT id FROM alarms').all())).toEqual([{ id: 'fire-1' }])
  })

  it('versions the InfluxDB buffer file on its own, and refuses one newer than the code', () => {
    dir = tempDir()
    const buffer = openDiskBuffer(dir.path, 100)
    expect(buffer.persistent).toBe(true)
    buffer.close()
    const file = join(dir.path, 'influx-buffer.db')
    const raw = new Database(file)
    expect(userVersion(raw)).toBe(2)
    raw.pragma('user_version = 3')
    raw.close()
    expect(() => openDiskBuffer(dir?.path ?? '', 100)).toThrow(new SchemaTooNewError(file, 3, 2).message)
  })
})
