import type Database from 'better-sqlite3'
import type { Logger } from '../log.js'
import { diskErrorCode } from './diskErrors.js'
import { type PendingWrites, tableOf } from './pendingWrites.js'
import type { RecordedStatement } from './switchableDatabase.js'

/** Held calls replayed per commit. */
const REPLAY_CHUNK = 500

/** The room a recovered disk must show for the journal to count as writable again. */
const PROBE_BYTES = 128 * 1024

/**
 * Replaying the writes held while the disk was down into a fresh connection
 * to the journal file, and proving that the disk has room again. Throws a
 * disk error when the file still refuses; the journal then stays down.
 *
 * Oldest first, a chunk per commit: what has been replayed stays replayed if the disk fails again.
 */
export function replayPending(file: Database.Database, pending: PendingWrites, log: Logger, now: () => number): void {
  const statements = new Map<string, Database.Statement>()
  const runCall = file.transaction((writes: readonly RecordedStatement[]) => {
    for (const w of writes) {
      let statement = statements.get(w.source)
      if (!statement) {
        statement = file.prepare(w.source)
        statements.set(w.source, statement)
      }
      statement[w.method](...(w.args as unknown[]))
    }
  })
  // A chunk of calls per commit: one fsync each, not one per call, so catching up after a long
  // outage does not hold the event loop (and the next alarm) for seconds. Each call is a savepoint.
  const runChunk = file.transaction((calls: readonly (readonly RecordedStatement[])[]) => {
    for (const writes of calls) {
      try {
        runCall(writes)
      } catch (err) {
        if (diskErrorCode(err) !== null) throw err
        // it ran in memory but not here (the file differs from the copy): retrying will not help
        log.error({ err, table: tableOf(writes[0]?.source ?? '') }, 'journal write failed on replay')
      }
    }
  })
  for (let chunk = pending.first(REPLAY_CHUNK); chunk.length > 0; chunk = pending.first(REPLAY_CHUNK)) {
    runChunk(chunk)
    pending.drop(chunk.length)
  }
  // The probe proves room for more than what was replayed: a write that failed half-way leaves its
  // space in the WAL for the next one, so a replay alone can fit on a disk that is still full, and the
  // fault would flap up and down with every write. Its table comes with the schema.
  file.prepare('INSERT OR REPLACE INTO journal_probe (id, at, room) VALUES (1, ?, zeroblob(?))').run(now(), PROBE_BYTES)
}
