import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { diskErrorCode } from '../../storage/diskErrors.js'
import { migrate } from '../../storage/migrations.js'
import { DISK_BUFFER_MIGRATIONS } from './diskBufferSchema.js'
import { afterLines, type LineChunk, lineEnd, linesOf } from './lineBatch.js'

/** Lines read back from the buffer, oldest first; hand it back to `remove` with how many lines were delivered. */
export interface BufferedBatch {
  /** Line protocol, `lines` lines each ending in `\n`. */
  readonly body: string
  readonly lines: number
  /** The earliest `sensor` timestamp among them (ms), for the roll-up back-fill; null when none. */
  readonly sensorFrom: number | null
  /** The rows the lines came from, in order; `from` lines of each were delivered before, `taken` are in `body`. */
  readonly rows: readonly BufferedRow[]
}

export interface BufferedRow {
  readonly id: number
  readonly from: number
  readonly taken: number
  readonly total: number
  readonly body: string
}

export interface DiskBuffer {
  /**
   * Appends one batch in one transaction (one commit, one row per class of
   * point, not one per point). `seq` orders batches: replay reads by (seq,
   * arrival), so a batch that failed late still goes before the batches
   * created after it. Returns the points dropped to stay within `maxPoints`.
   */
  append(seq: number, chunk: LineChunk, now: number): DroppedPoints
  /** The oldest `limit` lines (by seq, then arrival), leaving out none in between. */
  oldest(limit: number): BufferedBatch
  /** Deletes the first `done` lines of `batch`: delivered (or rejected). */
  remove(batch: BufferedBatch, done: number): void
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

interface Row {
  id: number
  lines: number
  body: string
  sensor_from: number | null
}

/**
 * Store-and-forward for InfluxDB (no data loss: docs/requirements.md#no-data-loss): one
 * SQLite file of its own in the data dir, so a long outage never bloats or
 * locks the alarm journal. A batch is stored as it will be sent, line
 * protocol, one row per batch and class (LineChunk): a spill of 5 000 points
 * is two inserts, not 5 000 rows and 5 000 JSON documents, so it costs the
 * event loop that carries the alarms next to nothing.
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
  if (!file) migrate(db, DISK_BUFFER_MIGRATIONS, { file: `${join(dataDir, fileName)} (in memory)` })

  const insert = db.prepare(
    'INSERT INTO batches (seq, keep, buffered_at, lines, sensor_from, body) VALUES (?, ?, ?, ?, ?, ?)',
  )
  const selectOldest = db.prepare('SELECT id, lines, sensor_from, body FROM batches ORDER BY seq, id')
  const deleteRow = db.prepare('DELETE FROM batches WHERE id = ?')
  const shortenRow = db.prepare('UPDATE batches SET lines = ?, body = ? WHERE id = ?')
  const oldestOfClass = db.prepare(
    'SELECT id, lines, sensor_from, body FROM batches WHERE keep = ? ORDER BY seq, id LIMIT 1',
  )
  // the first row in replay order, through the index: min(buffered_at) would scan the table per scrape
  const oldestAt = db.prepare('SELECT buffered_at AS at FROM batches ORDER BY seq, id LIMIT 1')
  const stats = db.prepare('SELECT coalesce(sum(lines), 0) AS n, coalesce(max(seq), 0) AS seq FROM batches')
  const initial = stats.get() as { n: number; seq: number }
  let count = initial.n
  /**
   * Lines of a row that were delivered but that the disk would not let us
   * delete (full): skipped on replay, deleted once it lets us.
   */
  const delivered = new Map<number, { done: number; row: BufferedRow }>()

  /** Drops up to `excess` of the oldest lines of one class; returns how many went. */
  const dropOldest = (keep: 0 | 1, excess: number): number => {
    let dropped = 0
    while (dropped < excess) {
      const row = oldestOfClass.get(keep) as Row | undefined
      if (row === undefined) break
      const done = delivered.get(row.id)?.done ?? 0
      const held = row.lines - done
      if (held <= excess - dropped) {
        deleteRow.run(row.id)
        delivered.delete(row.id)
        dropped += held
      } else {
        const cut = done + excess - dropped
        shortenRow.run(row.lines - cut, afterLines(row.body, cut), row.id)
        delivered.delete(row.id)
        dropped = excess
      }
    }
    return dropped
  }

  const trim = (): DroppedPoints => {
    const excess = count - maxPoints
    if (excess <= 0) return { telemetry: 0, keepLongest: 0 }
    const telemetry = dropOldest(0, excess)
    const keepLongest = excess > telemetry ? dropOldest(1, excess - telemetry) : 0
    count -= telemetry + keepLongest
    return { telemetry, keepLongest }
  }

  const appendTx = db.transaction((seq: number, c: LineChunk, now: number): DroppedPoints => {
    if (c.keepLines > 0) insert.run(seq, 1, now, c.keepLines, null, c.keep)
    if (c.telemetryLines > 0) insert.run(seq, 0, now, c.telemetryLines, c.sensorFrom, c.telemetry)
    count += linesOf(c)
    return trim()
  })

  const currentRow = db.prepare('SELECT lines, body FROM batches WHERE id = ?')
  /**
   * Applies `progress` (lines delivered per row, counted from the row as
   * oldest() read it) to the file: whole rows deleted, the rest shortened. A
   * full buffer may have trimmed the row's oldest lines while the write was
   * in flight; those are not taken off twice.
   */
  const removeTx = db.transaction((progress: ReadonlyMap<number, { done: number; row: BufferedRow }>) => {
    for (const [id, { done, row }] of progress) {
      const now = currentRow.get(id) as { lines: number; body: string } | undefined
      if (now === undefined) continue
      const cut = done - (row.total - now.lines)
      if (cut >= now.lines) deleteRow.run(id)
      else if (cut > 0) shortenRow.run(now.lines - cut, afterLines(now.body, cut), id)
    }
  })
  const remove = (batch: BufferedBatch, done: number) => {
    const progress = new Map(delivered)
    let left = done
    for (const row of batch.rows) {
      if (left <= 0) break
      const taken = Math.min(left, row.taken)
      left -= taken
      progress.set(row.id, { done: row.from + taken, row })
    }
    try {
      removeTx(progress)
      delivered.clear()
      // from the file itself: a trim while the write was in flight took some of these lines already
      count = (stats.get() as { n: number }).n
    } catch (err) {
      if (diskErrorCode(err) === null) throw err
      // remembered in memory: a row delivered whole is skipped, a row delivered in part resumes after it
      for (const [id, p] of progress) delivered.set(id, p)
      count -= done
    }
  }

  return {
    append(seq, chunk, now) {
      if (linesOf(chunk) === 0) return { telemetry: 0, keepLongest: 0 }
      const before = count
      try {
        return appendTx(seq, chunk, now)
      } catch (err) {
        // a commit the disk refused rolled the rows back; the count must follow
        count = before
        throw err
      }
    },
    oldest(limit) {
      const rows: BufferedRow[] = []
      let body = ''
      let lines = 0
      let sensorFrom: number | null = null
      // row by row, stopping at `limit` lines: a long outage holds thousands of rows of a batch each
      for (const row of selectOldest.iterate() as IterableIterator<Row>) {
        if (lines >= limit) break
        const from = delivered.get(row.id)?.done ?? 0
        if (from >= row.lines) continue
        const taken = Math.min(row.lines - from, limit - lines)
        const rest = from === 0 ? row.body : afterLines(row.body, from)
        body += taken === row.lines - from ? rest : rest.slice(0, lineEnd(rest, taken))
        lines += taken
        rows.push({ id: row.id, from, taken, total: row.lines, body: row.body })
        if (row.sensor_from !== null) sensorFrom = Math.min(sensorFrom ?? row.sensor_from, row.sensor_from)
      }
      return { body, lines, sensorFrom, rows }
    },
    remove(batch, done) {
      if (done > 0) remove(batch, done)
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
    migrate(db, DISK_BUFFER_MIGRATIONS, { file: join(dataDir, fileName) })
    return db
  } catch (err) {
    db?.close()
    if (diskErrorCode(err) === null) throw err
    return null
  }
}
