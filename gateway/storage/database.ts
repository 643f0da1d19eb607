import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

export type SqliteDatabase = Database.Database

/**
 * The gateway's journal: one SQLite file in WAL mode. `synchronous = FULL`
 * because SPEC §9 says alarms survive `kill -9` and power loss, and a few
 * fsyncs per alarm transition are cheap next to that promise.
 */
export function openDatabase(dataDir: string, fileName = 'storeguard.db'): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, fileName))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  return db
}
