import type Database from 'better-sqlite3'
import { openJournalFile } from './journalFile.js'

export type SqliteDatabase = Database.Database

/**
 * The journal file alone, without the degraded mode of `createJournal`: for
 * tests and tools that want SQLite's errors as they are.
 */
export function openDatabase(dataDir: string, fileName = 'storeguard.db'): SqliteDatabase {
  return openJournalFile(dataDir, fileName)
}
