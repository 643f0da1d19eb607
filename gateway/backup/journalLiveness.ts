import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'

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
 */
export function journalInUse(path: string): boolean {
  if (!existsSync(path)) return false
  const db = new Database(path, { fileMustExist: true, timeout: 0 })
  try {
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
    return false
  } catch (err) {
    // SQLITE_BUSY, or an extended code of it (SQLITE_BUSY_RECOVERY while another process recovers the WAL)
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true
    throw err
  } finally {
    db.close()
  }
}
