import Database from 'better-sqlite3'
import { userVersion } from '../storage/migrations.js'

/**
 * Copies the journal into `dest` with SQLite's online backup, while the
 * gateway goes on writing. The source is opened read-only, so the backup can
 * never change the journal. The copy is one consistent state of the file,
 * WAL included: SQLite restarts a backup that another connection wrote into
 * half-way, so after the first step everything left is copied in one step,
 * inside one read transaction, which a writer in WAL mode cannot disturb.
 * Returns the copy's schema version.
 */
export async function snapshotJournal(source: string, dest: string): Promise<number> {
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    // a writer holds the lock only for a transaction's length; wait it out like the gateway would
    db.pragma('busy_timeout = 5000')
    await db.backup(dest, { progress: ({ totalPages }) => Math.max(totalPages, 100) })
  } finally {
    db.close()
  }
  const copy = new Database(dest, { fileMustExist: true })
  try {
    return userVersion(copy)
  } finally {
    copy.close()
  }
}
