import type Database from 'better-sqlite3'
import type { Migration } from '../../storage/migrations.js'
import { pointToLine } from './lineProtocol.js'
import type { TelemetryPoint } from './points.js'

/** Points of the old one-row-per-point table grouped into one new row, at most. */
const LINES_PER_MIGRATED_ROW = 1000

/**
 * The buffer file's schema steps (docs/journal-migrations.md), versioned in
 * its own user_version (it is a file of its own). Version 1 is the schema
 * from before versions, IF NOT EXISTS included, so a buffer file of that
 * release is adopted with its points.
 */
export const DISK_BUFFER_MIGRATIONS: readonly Migration[] = [
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
  {
    version: 2,
    description: 'one row of line protocol per batch instead of one JSON point per row',
    up: (db) => {
      db.exec(`
CREATE TABLE batches (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL,
  keep INTEGER NOT NULL,
  buffered_at INTEGER NOT NULL,
  lines INTEGER NOT NULL,
  sensor_from INTEGER,
  body TEXT NOT NULL
);
CREATE INDEX batches_order ON batches (seq, id);
CREATE INDEX batches_drop ON batches (keep, seq, id);
`)
      movePointsToBatches(db)
      db.exec('DROP TABLE points')
    },
  },
]

/**
 * The points an older release buffered, as line protocol rows in the same
 * replay order (seq, then arrival): consecutive points of one batch and one
 * class (kept longest or telemetry) become one row. A row whose JSON cannot
 * be read, or that holds nothing InfluxDB would take, could never have been
 * written by the old release either: it is left out rather than failing the
 * upgrade.
 */
function movePointsToBatches(db: Database.Database): void {
  const insert = db.prepare(
    'INSERT INTO batches (seq, keep, buffered_at, lines, sensor_from, body) VALUES (?, ?, ?, ?, ?, ?)',
  )
  let group = null as Group | null
  const write = (g: Group | null): null => {
    if (g !== null && g.lines > 0) insert.run(g.seq, g.keep, g.at, g.lines, g.from, g.body)
    return null
  }
  // paged, not iterated: better-sqlite3 runs no other statement on a connection while an iterator is open,
  // and .all() would hold a whole outage's points in memory at once
  const page = db.prepare(
    'SELECT id, seq, keep, buffered_at AS at, point FROM points WHERE (seq, id) > (?, ?) ORDER BY seq, id LIMIT 2000',
  )
  let after = { seq: Number.MIN_SAFE_INTEGER, id: 0 }
  for (;;) {
    const rows = page.all(after.seq, after.id) as { id: number; seq: number; keep: number; at: number; point: string }[]
    if (rows.length === 0) break
    for (const row of rows) {
      after = row
      const point = readPoint(row.point)
      const line = point === null ? null : pointToLine(point)
      if (point === null || line === null) continue
      if (group?.seq !== row.seq || group.keep !== row.keep || group.lines >= LINES_PER_MIGRATED_ROW) {
        write(group)
        group = { seq: row.seq, keep: row.keep, at: row.at, lines: 0, from: null, body: '' }
      }
      group.body += `${line}\n`
      group.lines++
      if (point.measurement === 'sensor') group.from = Math.min(group.from ?? point.ts, Math.round(point.ts))
    }
  }
  write(group)
}

interface Group {
  seq: number
  keep: number
  at: number
  lines: number
  from: number | null
  body: string
}

function readPoint(json: string): TelemetryPoint | null {
  try {
    const p = JSON.parse(json) as TelemetryPoint | null
    return p !== null && typeof p === 'object' && typeof p.tags === 'object' && typeof p.fields === 'object' ? p : null
  } catch {
    return null
  }
}
