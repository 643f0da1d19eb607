import { afterEach, beforeEach } from 'vitest'
import { openDatabase, type SqliteDatabase } from '../../gateway/storage/database.js'
import { tempDir } from './tempDir.js'

/**
 * A gateway journal (SQLite) in a fresh temp dir for each test of the
 * calling `describe`, closed and removed after it; `reopen` is a restart: a
 * new connection to the same file, the old one closed.
 */
export function useTempJournal(): { readonly db: SqliteDatabase; reopen(): SqliteDatabase } {
  let dir: ReturnType<typeof tempDir> | undefined
  let db: SqliteDatabase | undefined
  const opened = () => {
    if (db === undefined) throw new Error('the journal is open only inside a test')
    return db
  }
  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
  })
  afterEach(() => {
    db?.close()
    dir?.remove()
    db = undefined
  })
  return {
    get db() {
      return opened()
    },
    reopen() {
      opened().close()
      db = openDatabase((dir as ReturnType<typeof tempDir>).path)
      return db
    },
  }
}
