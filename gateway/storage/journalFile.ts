import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Logger } from '../log.js'
import { diskErrorCode } from './diskErrors.js'

/**
 * Opens the journal file in WAL mode with `synchronous = FULL` (alarms must
 * survive `kill -9` and power loss; a few fsyncs per transition are cheap next
 * to that promise). Throws what SQLite or the file system threw.
 */
export function openJournalFile(dataDir: string, fileName: string): Database.Database {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, fileName))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('busy_timeout = 5000')
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/**
 * An in-memory copy of the journal, so the console and API keep showing
 * history and open tickets while the disk is down. A disk that cannot even be
 * read gives an empty one: the stores then hold only what happens from now.
 */
export function memoryCopy(file: Database.Database, log: Logger): Database.Database {
  try {
    return fromImage(file.serialize())
  } catch (err) {
    log.error({ err }, 'journal file unreadable: history before the outage is not shown until it is back')
    return new Database(':memory:')
  }
}

/**
 * At a start on a disk that will not open the journal (read-only, so SQLite
 * cannot create the WAL index), the file's last checkpointed content: open
 * alarms and tickets from before the restart are still shown and annunciated.
 */
export function lastKnownCopy(path: string, log: Logger): Database.Database {
  let image: Buffer
  try {
    image = readFileSync(path)
  } catch (err) {
    if (diskErrorCode(err) === null) throw err
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.error({ err, path }, 'journal file unreadable')
    return new Database(':memory:')
  }
  if (image.length === 0) return new Database(':memory:')
  try {
    return fromImage(image)
  } catch (err) {
    // a torn copy must not stop the start: the file itself is replayed into once it opens
    log.error({ err, path }, 'journal file unreadable')
    return new Database(':memory:')
  }
}

function fromImage(image: Buffer): Database.Database {
  // the header says WAL (bytes 18-19 = 2), which an in-memory database cannot use
  image[18] = 1
  image[19] = 1
  const db = new Database(image)
  db.prepare('SELECT count(*) FROM sqlite_schema').get() // a damaged image fails here, not in a store
  return db
}
