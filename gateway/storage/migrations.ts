import type Database from 'better-sqlite3'
import type { Logger } from '../log.js'

/** One step of a database file's schema: `up` turns version `version - 1` into `version`. */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly up: (db: Database.Database) => void
}

/** What `migrate` did: the file's version before and after. */
export interface MigrationResult {
  readonly from: number
  readonly to: number
}

export interface MigrateOptions {
  /** Names the file in errors and logs (its path, or what an in-memory copy stands for). */
  readonly file: string
  /** Told of each migration applied; tests and tools may leave it out. */
  readonly log?: Logger
}

/**
 * A file written by a newer release. Opening it would let this code write rows
 * that the newer schema does not expect, and nothing here knows how to undo
 * that newer release's migrations: the gateway stops instead of downgrading it.
 * Its code is not a disk error, so the journal does not mistake it for a
 * failing card and carry on in memory.
 */
export class SchemaTooNewError extends Error {
  readonly code = 'SCHEMA_TOO_NEW'
  constructor(
    readonly file: string,
    readonly version: number,
    readonly highestKnown: number,
  ) {
    super(
      `${file} has schema version ${version}, newer than the highest this gateway knows (${highestKnown}): ` +
        'refusing to open it; run the release that wrote it, or restore a backup',
    )
    this.name = 'SchemaTooNewError'
  }
}

/**
 * Brings one database file to the last of `migrations`, at open. The version
 * lives in the file's own header (`PRAGMA user_version`), so it travels with
 * the file through copies, backups and the journal's in-memory images.
 * Each migration runs in its own transaction together with the version bump:
 * a migration that throws (or a disk that fails half-way) leaves the file at
 * the version before it, and the next open tries again from there.
 * A file from before versioning reads as version 0; version 1 is the schema
 * of that release written with IF NOT EXISTS, so it adopts such a file as it is.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  options: MigrateOptions,
): MigrationResult {
  checkOrder(migrations)
  const { file, log } = options
  const highest = migrations.at(-1)?.version ?? 0
  const from = userVersion(db)
  if (from > highest) throw new SchemaTooNewError(file, from, highest)
  for (const migration of migrations) {
    if (migration.version <= userVersion(db)) continue
    db.transaction(() => {
      migration.up(db)
      // an integer checked by checkOrder: pragmas take no bound parameters
      db.pragma(`user_version = ${migration.version}`)
    })()
    log?.info(
      { file, version: migration.version, description: migration.description, from },
      'schema migration applied',
    )
  }
  return { from, to: userVersion(db) }
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Versions 1, 2, 3… with no gap: a gap or a duplicate is a mistake in the code, found at the first open. */
function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1 || !Number.isSafeInteger(m.version)) {
      throw new Error(`migration "${m.description}" has version ${m.version}, expected ${i + 1}`)
    }
  })
}
