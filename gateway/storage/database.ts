import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Logger } from '../log.js'
import { openJournalFile } from './journalFile.js'
import { migrateJournal } from './journalSchema.js'

export type SqliteDatabase = Database.Database

/**
 * The journal file alone, without the degraded mode of `createJournal`: for
 * tests and tools that want SQLite's errors as they are. It is migrated to
 * the current schema like the journal's, since the stores no longer create
 * their tables themselves.
 */
export function openDatabase(dataDir: string, fileName = 'storeguard.db', log?: Logger): SqliteDatabase {
  const db = openJournalFile(dataDir, fileName)
  try {
    migrateJournal(db, join(dataDir, fileName), log)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** An empty in-memory journal with the current schema: for tests that need no file. */
export function openMemoryDatabase(log?: Logger): SqliteDatabase {
  const db = new Database(':memory:')
  migrateJournal(db, ':memory:', log)
  return db
}
