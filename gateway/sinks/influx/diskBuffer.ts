import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { diskErrorCode } from '../../storage/diskErrors.js'
import { type Migration, migrate } from '../../storage/migrations.js'
import { KEEP_LONGEST, type TelemetryPoint } from './points.js'

/** Points read back from the buffer, oldest first; `ids` go back to `remove` once they are delivered. */
export interface BufferedBatch {
  readonly ids: readonly number[]
  readonly points: readonly TelemetryPoint[]
}

export interface DiskBuffer {
  /**
   * Appends one batch in one transaction (one commit, not one per point).
   * `seq` orders batches: replay reads by (seq, arrival), so a batch that
   * failed late still goes before the batches created after it. Returns the
   * points dropped to stay within `maxPoints`.
   */
  append(seq: number, points: readonly TelemetryPoint[], now: number): DroppedPoints
  /** The oldest `limit` points (by seq, then arrival), leaving out none in between. */
  oldest(limit: number): BufferedBatch
  /** Deletes delivered (or rejected) points. */
  remove(ids: readonly number[]): void
  /** Points held now. O(1): kept in memory. */
  size(): number
  /** ms since the epoch when the next point to replay was buffered, or null when empty. */
  oldestBufferedAt(): number | null
  /** The highest seq held, so a restarted writer continues after it (0 when empty). */
  maxSeq(): number
  /** False when the data dir could not take the buffer file and points are held in memory (lost on restart). */
  readonly persistent: boolean
  close(): void
}

export interface DroppedPoints {
  /** Telemetry (`sensor`, `gateway`) dropped to make room. */
  readonly telemetry: number
  /** `alarm`, `ticket`, `device_status` dropped because no telemetry was left to drop. */
  readonly keepLongest: number
}

/**
 * The buffer file's schema steps, versioned in its own user_version (it is a
 * file of its own). Version 1 is the schema from before versions, IF NOT
 * EXISTS included, so a buffer file of that release is adopted with its points.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'points table of the release before schema versions',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS points (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL,
  keep INTEGER NOT NULL,
  buffered_at INTEGER NOT NULL,
  point TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS points_order ON points (seq, id);
CREATE INDEX IF NOT EXISTS points_drop ON points (keep, seq, id);
`),
  },
]

/**
 * Store-and-forward for InfluxDB (no data loss: docs/requirements.md#no-data-loss): one
 * SQLite file of its own in the data dir, so a long outage never bloats or
 * locks the alarm journal.
 *
 * WAL with `synchronous = NORMAL`: a commit is in the WAL file (the OS has it)
 * before append() returns, so `kill -9` loses nothing; only a power cut can
 * lose the last commits (the writer appends once per event-loop turn that
 * brought readings while InfluxDB is down, the acknowledgements of that turn
 * waiting on the commit), so that is at most the last second or so of
 * telemetry. FULL would fsync on the event loop that carries the alarms.
 *
 * Bounded by `maxPoints`: when full, the oldest telemetry goes first; alarm,
 * ticket and device-status points (KEEP_LONGEST) only when nothing else is left.
 */
export function openDiskBuffer(dataDir: string, maxPoints: number, fileName = 'influx-buffer.db'): DiskBuffer {
  const file = openBufferFile(dataDir, fileName)
  // a full or read-only data dir: the same bounded buffer, in memory, rather than no telemetry or a crash
  const db = file ?? new Database(':memory:')
  if (!file) migrate(db, MIGRATIONS, { file: `${join(dataDir, fileName)} (in memory)` })

  const insert = db.prepare('INSERT INTO points (seq, keep, buffered_at, point) VALUES (?, ?, ?, ?)')
  const selectOldest = db.prepare('SELECT id, point FROM points ORDER BY seq, id LIMIT ?')
  const deleteIds = db.prepare('DELETE FROM points WHERE id IN (SELECT value FROM json_each(?))')
  const dropOldest = db.prepare(
    'DELETE FROM points WHERE id IN (SELECT id FROM points WHERE keep = ? ORDER BY seq, id LIMIT ?)',
  )
  // the first row in replay order, through the index: min(buffered_at) would scan millions of rows per scrape
  const oldestAt = db.prepare('SELECT buffered_at AS at FROM points ORDER BY seq, id LIMIT 1')
  const stats = db.prepare('SELECT count(*) AS n, coalesce(max(seq), 0) AS seq FROM points')
  const initial = stats.get() as { n: number; seq: number }
  let count = initial.n

  const trim = (): DroppedPoints => {
    let excess = count - maxPoints
    if (excess <= 0) return { telemetry: 0, keepLongest: 0 }
    const telemetry = dropOldest.run(0, excess).changes
    excess -= telemetry
    const keepLongest = excess > 0 ? dropOldest.run(1, excess).changes : 0
    count -= telemetry + keepLongest
    return { telemetry, keepLongest }
  }

  const appendTx = db.transaction((seq: number, points: readonly TelemetryPoint[], now: number): DroppedPoints => {
    for (const p of points) insert.run(seq, KEEP_LONGEST.has(p.measurement) ? 1 : 0, now, JSON.stringify(p))
    count += points.length
    return trim()
  })
  const removeTx = db.transaction((ids: readonly number[]) => {
    count -= deleteIds.run(JSON.stringify(ids)).changes
  })
  /** Delivered points the disk would not let us delete: skipped on replay, deleted once it lets us. */
  const delivered = new Set<number>()
  const remove = (ids: readonly number[]) => {
    const all = delivered.size === 0 ? ids : [...delivered, ...ids]
    const before = count
    try {
      removeTx(all)
      delivered.clear()
    } catch (err) {
      if (diskErrorCode(err) === null) throw err
      count = before
      for (const id of ids) delivered.add(id)
      count -= ids.length
    }
  }

  return {
    append(seq, points, now) {
      if (points.length === 0) return { telemetry: 0, keepLongest: 0 }
      const before = count
      try {
        return appendTx(seq, points, now)
      } catch (err) {
        // a commit the disk refused rolled the rows back; the count must follow
        count = before
        throw err
      }
    },
    oldest(limit) {
      const rows = (selectOldest.all(limit + delivered.size) as { id: number; point: string }[])
        .filter((r) => !delivered.has(r.id))
        .slice(0, limit)
      return { ids: rows.map((r) => r.id), points: rows.map((r) => JSON.parse(r.point) as TelemetryPoint) }
    },
    remove(ids) {
      if (ids.length > 0) remove(ids)
    },
    size: () => count,
    oldestBufferedAt: () => (count === 0 ? null : ((oldestAt.get() as { at: number } | undefined)?.at ?? null)),
    maxSeq: () => (stats.get() as { seq: number }).seq,
    persistent: file !== null,
    close: () => db.close(),
  }
}

/** The buffer's file, or null when the disk will not have it (full, read-only, failing). */
function openBufferFile(dataDir: string, fileName: string): Database.Database | null {
  let db: Database.Database | null = null
  try {
    mkdirSync(dataDir, { recursive: true })
    db = new Database(join(dataDir, fileName))
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    // a buffer file newer than this code throws here (not a disk error): refused, not overwritten
    migrate(db, MIGRATIONS, { file: join(dataDir, fileName) })
    return db
  } catch (err) {
    db?.close()
    if (diskErrorCode(err) === null) throw err
    return null
  }
}
