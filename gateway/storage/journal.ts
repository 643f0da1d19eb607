import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Logger } from '../log.js'
import type { SqliteDatabase } from './database.js'
import { diskErrorCode } from './diskErrors.js'
import { lastKnownCopy, memoryCopy, openJournalFile } from './journalFile.js'
import { replayPending } from './journalReplay.js'
import { migrateJournal } from './journalSchema.js'
import type { Migration } from './migrations.js'
import { createPendingWrites, type PendingWrites } from './pendingWrites.js'
import { createSwitchableDatabase, type RecordedStatement } from './switchableDatabase.js'

/** What `/healthz`, the metrics and the `journal_unavailable` fault show. */
export interface JournalHealth {
  readonly up: boolean
  /** The disk error that took the journal down (`SQLITE_FULL`, `EROFS`…), null while up. */
  readonly reason: string | null
  /** ms since the epoch when it went down, null while up. */
  readonly since: number | null
  /** True while the journal runs on an in-memory database because its file could not be opened. */
  readonly memoryOnly: boolean
  /** Writes held in memory, waiting for the disk. */
  readonly pending: number
  /** Writes dropped because the memory queue was full, by table, since start. */
  readonly lost: Readonly<Record<string, number>>
  readonly lostTotal: number
}

export interface Journal {
  /**
   * The database the stores prepare their statements on. A write the disk
   * refuses does not throw: it is applied in memory and owed to the file.
   */
  readonly db: SqliteDatabase
  /** Tries the disk again and replays what is pending; the gateway calls it every tick. */
  retry(): void
  health(): JournalHealth
  /** Called when the journal goes down or comes back up. */
  onChange(listener: (health: JournalHealth) => void): void
  /** Called when the memory queue drops its oldest write. */
  onLost(listener: (label: string) => void): void
  close(): void
}

export interface JournalOptions {
  readonly dataDir: string
  readonly fileName?: string
  /** How many writes are held in memory while the disk is down; default 10 000. */
  readonly maxPending?: number
  readonly log: Logger
  readonly now: () => number
  /** Opens the file; default `openJournalFile`. Tests put a fault into the connection here. */
  readonly openFile?: (dataDir: string, fileName: string) => Database.Database
  /** The file's schema steps; default the journal's own. Tests bring the file to a version of their own. */
  readonly migrations?: readonly Migration[]
}

/**
 * The journal and its health. A full or read-only disk must not silence a
 * fire: when the file refuses a write, the stores move to an in-memory copy of
 * it and go on working (alarms raise, publish and sound; the console and API
 * read what they wrote), every write is also kept as SQL in a bounded memory
 * queue, and every tick tries a fresh connection to the file and replays the
 * queue into it, in order. When the file cannot even be opened at start, the
 * stores start in the same way on an in-memory copy of what can still be read
 * of it (empty when nothing can). The replay into the recovered file is in
 * journalReplay.
 */
export function createJournal(options: JournalOptions): Journal {
  const { dataDir, log: parent, now } = options
  const fileName = options.fileName ?? 'storeguard.db'
  const openFile = options.openFile ?? openJournalFile
  const log = parent.child({ mod: 'journal' })
  const pending: PendingWrites = createPendingWrites(options.maxPending ?? 10_000)
  const changeListeners: ((health: JournalHealth) => void)[] = []
  const lostListeners: ((label: string) => void)[] = []
  let reason: string | null = null
  let since: number | null = null
  let memoryOnly = false
  /** Writes dropped in this outage, so the queue overflowing is logged once per outage. */
  let lostThisOutage = 0
  /** A replay that failed on something other than the disk is logged once, not every second. */
  let replayFailureLogged = false
  /** The file's connection that failed, closed once a fresh one has caught up. */
  let failedFile: Database.Database | null = null
  /** The writes of the outermost call in progress while down; null while up. */
  let recording: RecordedStatement[] | null = null

  const path = join(dataDir, fileName)
  /** Every connection the stores may use gets the schema first: the file, a fresh one, each in-memory copy. */
  const migrated = (db: Database.Database, label: string): Database.Database => {
    try {
      migrateJournal(db, label, log, options.migrations)
      return db
    } catch (err) {
      db.close()
      throw err
    }
  }
  const inMemory = (db: Database.Database) => migrated(db, `${path} (in-memory copy)`)

  let first: Database.Database
  let opened: Database.Database | null = null
  try {
    opened = openFile(dataDir, fileName)
    migrateJournal(opened, path, log, options.migrations)
    first = opened
  } catch (err) {
    const code = diskErrorCode(err)
    // not the disk (a file newer than this code among them): the gateway must not start on it
    if (code === null) {
      opened?.close()
      throw err
    }
    // a file that opened but could not take a migration (a full card) is copied through its connection, WAL
    // included, and kept open like a file that failed later; the copy is migrated in memory
    first = inMemory(opened ? memoryCopy(opened, log) : lastKnownCopy(path, log))
    failedFile = opened
    memoryOnly = opened === null
    reason = code
    since = now()
    const why = opened ? 'journal file cannot take its schema' : 'journal file cannot be opened'
    log.error({ err, code, dataDir }, `${why}: journaling in memory`)
  }

  const switchable = createSwitchableDatabase(first, {
    call(run) {
      if (reason === null) {
        try {
          return run()
        } catch (err) {
          const code = diskErrorCode(err)
          if (code === null) throw err
          goDown(err, code)
        }
      }
      return recorded(run)
    },
    wrote(statement) {
      recording?.push(statement)
    },
  })

  function recorded<T>(run: () => T): T {
    const writes: RecordedStatement[] = []
    recording = writes
    try {
      const result = run()
      // only what committed in memory is owed to the file
      if (writes.length > 0) hold(writes)
      return result
    } finally {
      recording = null
    }
  }

  const health = (): JournalHealth => ({
    up: reason === null,
    reason,
    since,
    memoryOnly,
    pending: pending.size(),
    lost: pending.lost(),
    lostTotal: pending.lostTotal(),
  })
  const changed = () => {
    const h = health()
    for (const listener of changeListeners) listener(h)
  }

  function hold(writes: readonly RecordedStatement[]): void {
    const dropped = pending.push(writes)
    if (dropped === null) return
    lostThisOutage++
    if (lostThisOutage === 1) {
      log.error({ table: dropped, pending: pending.size() }, 'journal memory queue full: dropping oldest writes')
    }
    for (const listener of lostListeners) listener(dropped)
  }

  function goDown(err: unknown, code: string): void {
    reason = code
    since = now()
    lostThisOutage = 0
    log.error({ err, code }, 'journal unavailable: announcing from memory')
    const file = switchable.current()
    switchable.switchTo(inMemory(memoryCopy(file, log)))
    // kept open until the disk is back: closing would checkpoint and delete the WAL on the failing disk,
    // and the space that frees would let the fault flap up and down
    failedFile = file
    // after the call that failed has finished in memory: a listener's own writes (the fault alarm) go after it
    queueMicrotask(changed)
  }

  function retry(): void {
    if (reason === null) return
    let fresh: Database.Database | null = null
    try {
      fresh = migrated(openFile(dataDir, fileName), path)
      switchable.applySchema(fresh)
      replayPending(fresh, pending, log, now)
    } catch (err) {
      fresh?.close()
      const code = diskErrorCode(err)
      // not the disk: a crash now would lose what memory holds, so stay down, say so, and keep trying
      if (code !== null) reason = code
      else if (!replayFailureLogged) log.error({ err }, 'journal replay failed')
      replayFailureLogged ||= code === null
      return
    }
    const memory = switchable.current()
    switchable.switchTo(fresh)
    memory.close()
    failedFile?.close()
    failedFile = null
    const was = { reason, since }
    reason = null
    since = null
    memoryOnly = false
    log.warn(
      { was: was.reason, downSinceMs: was.since, lostThisOutage, lost: pending.lost() },
      'journal writable again',
    )
    changed()
  }

  return {
    db: switchable.db,
    retry,
    health,
    onChange: (listener) => changeListeners.push(listener),
    onLost: (listener) => lostListeners.push(listener),
    close() {
      failedFile?.close()
      switchable.current().close()
    },
  }
}
