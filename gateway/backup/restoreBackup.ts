import { chownSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { StoreGuardError } from '../core/errors.js'
import { JOURNAL_MIGRATIONS } from '../storage/journalSchema.js'
import { stageFile, syncFolder, writeFileAtomic } from './atomicFile.js'
import type { Manifest } from './manifest.js'
import { readBackup } from './readBackup.js'
import { checkRestore, type SetupTarget } from './restoreChecks.js'
import { JOURNAL_FILE, type StoreFiles } from './storeFiles.js'

export interface RestoreOptions {
  /** Restore over a journal that has rows (kept aside, renamed) and a backup of another store. */
  readonly force?: boolean
  /** Folder to write the archive's config and holiday files into, under their own names. */
  readonly configOut?: string | undefined
  readonly now?: () => Date
  /** The journal schema this build migrates to; tests lower or raise it. */
  readonly highestSchemaVersion?: number
}

export interface RestoreResult {
  readonly manifest: Manifest
  readonly journal: string
  /** Where the journal that was there before went, or null if there was none. */
  readonly keptAside: string | null
  /** Every config or holiday file written, and where an older file of that name went. */
  readonly setupFiles: readonly { readonly path: string; readonly keptAside: string | null }[]
}

/**
 * Puts a backup's journal in place of the store's, after every check has
 * passed, so a refused restore changes nothing. The journal already there is
 * never deleted: it is renamed aside with its WAL (which must not be paired
 * with the restored file). The config and holiday files are written beside
 * the config as `NAME.restored`, never over the config the gateway runs on,
 * or, with `configOut`, into that folder under their own names.
 */
export function restoreBackup(archive: string, store: StoreFiles, options: RestoreOptions = {}): RestoreResult {
  const stamp = (options.now ?? (() => new Date()))()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const backup = readBackup(archive)
  const { targets, journalUnreadable } = checkRestore(archive, backup, store, {
    force: options.force ?? false,
    configOut: options.configOut,
    highestSchemaVersion: options.highestSchemaVersion ?? JOURNAL_MIGRATIONS.at(-1)?.version ?? 0,
  })
  // the setup files are written first, under hidden names: one that cannot be written then stops the
  // restore before the journal is touched, instead of after, with the journal already swapped
  const staged = stageAll(targets)
  const journal = join(store.dataDir, JOURNAL_FILE)
  let keptAside: string | null = null
  try {
    mkdirSync(store.dataDir, { recursive: true, mode: 0o750 })
    // a WAL left without its journal (deleted by hand) would be replayed into the restored file: it goes aside too
    if (existsSync(journal) || existsSync(`${journal}-wal`)) keptAside = keepAside(journal, stamp, journalUnreadable)
    writeFileAtomic(journal, backup.journal, 0o640)
  } catch (err) {
    // a full card: the gateway must start on the journal it had, not on none
    if (keptAside) putBack(keptAside, journal)
    for (const partial of staged) rmSync(partial, { force: true })
    throw cannotWrite(journal, 'the restored journal', err)
  }
  ownLikeFolder(journal, store.dataDir)
  // only renames are left, within folders already written to
  const setupFiles = targets.map(({ path, replaces }, i) => {
    const aside = replaces ? keepAside(path, stamp) : null
    renameSync(staged[i] ?? '', path)
    syncFolder(dirname(path))
    return { path, keptAside: aside }
  })
  return { manifest: backup.manifest, journal, keptAside, setupFiles }
}

/** Every setup file written and synced under its hidden `.partial` name; on a failure, none is left. */
function stageAll(targets: readonly SetupTarget[]): string[] {
  const staged: string[] = []
  for (const { path, data } of targets) {
    try {
      staged.push(stageFile(path, data, 0o640))
    } catch (err) {
      for (const partial of staged) rmSync(partial, { force: true })
      throw cannotWrite(path, 'the restored file', err)
    }
  }
  return staged
}

function cannotWrite(path: string, what: string, err: unknown): StoreGuardError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err)
  return new StoreGuardError('backup_failed', `${path}: cannot write ${what} (${code}); nothing was restored`, {
    cause: err,
  })
}

/**
 * Renames `path` to `path.before-restore-STAMP`, its `-wal` along with it so
 * the kept copy opens with every transaction it had. The `-shm` index is
 * only a cache of the WAL and is rebuilt; it is removed, as a stale one must
 * not meet the restored file. Of a journal SQLite could not read, the `-shm`
 * is kept too: whoever looks into what went wrong gets every file as it was.
 */
function keepAside(path: string, stamp: string, withShm = false): string | null {
  const aside = `${path}.before-restore-${stamp}`
  if (existsSync(path)) renameSync(path, aside)
  if (withShm && existsSync(`${path}-shm`)) renameSync(`${path}-shm`, `${aside}-shm`)
  const wal = `${path}-wal`
  // an empty WAL (left by the checks' own connections) holds nothing to keep
  if (existsSync(wal) && statSync(wal).size > 0) renameSync(wal, `${aside}-wal`)
  rmSync(wal, { force: true })
  rmSync(`${path}-shm`, { force: true })
  syncFolder(dirname(path))
  return existsSync(aside) || existsSync(`${aside}-wal`) ? aside : null
}

function putBack(aside: string, path: string): void {
  if (existsSync(aside)) renameSync(aside, path)
  if (existsSync(`${aside}-wal`)) renameSync(`${aside}-wal`, `${path}-wal`)
  if (existsSync(`${aside}-shm`)) renameSync(`${aside}-shm`, `${path}-shm`)
}

/** Run as root (sudo), the journal would be root's and the gateway's user could not write it: give it the data dir's owner. */
function ownLikeFolder(path: string, dir: string): void {
  if (process.getuid?.() !== 0) return
  const { uid, gid } = statSync(dir)
  chownSync(path, uid, gid)
}
