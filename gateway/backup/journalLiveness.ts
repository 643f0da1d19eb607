import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import Database from 'better-sqlite3'

/**
 * `in_use` while a gateway has the journal open; `unreadable` (with SQLite's
 * code) when the file is not a journal at all, which is exactly when an
 * operator reaches for a restore, so it is reported, not thrown.
 */
export type JournalLiveness =
  | { readonly kind: 'free' }
  | { readonly kind: 'in_use' }
  | { readonly kind: 'unreadable'; readonly code: string }

/**
 * Whether a process has the journal open: a running gateway, or one starting.
 *
 * The journal runs in WAL mode (`openJournalFile`), and SQLite keeps a SHARED
 * lock on the database file for as long as a WAL connection is open, between
 * transactions too. A connection in `locking_mode = EXCLUSIVE` must take an
 * EXCLUSIVE lock on that file to read it, which fails at once (timeout 0) while
 * any other connection is open. These are POSIX record locks held by the
 * kernel for the process: a gateway killed with `kill -9` or by a power cut
 * leaves no lock behind, so unlike a pid file nothing can go stale, and a pid
 * reused by another program cannot be mistaken for a gateway. A gateway
 * whose journal has not been created yet has nothing to overwrite.
 * A journal that is free is checkpointed when this connection closes, as at
 * any open and close: what a killed gateway left in the WAL moves into the
 * file, so a journal later kept aside holds all of it. A read-only
 * connection cannot take that lock on a WAL a killed gateway left behind.
 * A file whose header is not SQLite's (garbage, a cut-short copy) is told
 * from its first bytes, without SQLite: a connection on it would delete its
 * `-wal` when it closes, and that WAL is kept aside as it was for whoever
 * looks into what went wrong. No gateway can be running on such a file: it
 * could not have opened it.
 */
export function journalLiveness(path: string): JournalLiveness {
  if (!existsSync(path)) return { kind: 'free' }
  if (!hasSqliteHeader(path)) return { kind: 'unreadable', code: 'SQLITE_NOTADB' }
  let db: Database.Database | undefined
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 })
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
    return { kind: 'free' }
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    // SQLITE_BUSY, or an extended code of it (SQLITE_BUSY_RECOVERY while another process recovers the WAL)
    if (code.startsWith('SQLITE_BUSY')) return { kind: 'in_use' }
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return { kind: 'unreadable', code }
    throw err
  } finally {
    db?.close()
  }
}

/** An empty file is an empty database to SQLite; anything else starts with its 16-byte magic string. */
function hasSqliteHeader(path: string): boolean {
  const head = Buffer.alloc(SQLITE_MAGIC.length)
  const fd = openSync(path, 'r')
  try {
    const read = readSync(fd, head, 0, head.length, 0)
    return read === 0 || (read === head.length && head.equals(SQLITE_MAGIC))
  } finally {
    closeSync(fd)
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
