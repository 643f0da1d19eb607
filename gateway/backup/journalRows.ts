import { existsSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'

/**
 * Whether the journal at `path` holds anything worth keeping: a row in any of
 * its tables. A gateway started once on a fresh install leaves a journal
 * with its tables and no rows; restoring over that needs no `--force`.
 * A file that cannot be read counts as holding something: only a person
 * can tell what it is.
 */
export function journalHasRows(path: string): boolean {
  if (!existsSync(path) || statSync(path).size === 0) return false
  let db: Database.Database | undefined
  try {
    db = new Database(path, { readonly: true, fileMustExist: true })
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
    // names come from the file's own schema, quoted as identifiers
    return tables.some((t) => db?.prepare(`SELECT 1 FROM "${t.replace(/"/g, '""')}" LIMIT 1`).get() !== undefined)
  } catch {
    return true
  } finally {
    db?.close()
  }
}
