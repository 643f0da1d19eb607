import { lstatSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { StoreGuardError } from '../core/errors.js'
import { journalLiveness } from './journalLiveness.js'
import { journalHasRows } from './journalRows.js'
import { isSafeFileName } from './manifest.js'
import type { VerifiedBackup } from './readBackup.js'
import { JOURNAL_FILE, type StoreFiles } from './storeFiles.js'

/** A config or holiday file of the backup and where restore writes it. */
export interface SetupTarget {
  readonly path: string
  readonly data: Buffer
  /** An operator's file of that name is there (only with `configOut`): it is kept aside. */
  readonly replaces: boolean
}

/** What the checks found that the restore acts on. */
export interface RestorePlan {
  readonly targets: readonly SetupTarget[]
  /** The journal in the data dir is not a SQLite file (forced past): it goes aside with its -wal and -shm as they are. */
  readonly journalUnreadable: boolean
}

export interface RestoreCheckOptions {
  readonly force: boolean
  readonly configOut?: string | undefined
  readonly highestSchemaVersion: number
}

/**
 * Every reason not to restore `backup` for `store`, checked before anything
 * is written, so a refused restore changes nothing. Throws `restore_refused`
 * with one line; returns where the config and holiday files go.
 */
export function checkRestore(
  archive: string,
  backup: VerifiedBackup,
  store: StoreFiles,
  options: RestoreCheckOptions,
): RestorePlan {
  const { manifest } = backup
  const { force, highestSchemaVersion: highest } = options
  // an older journal is fine: the gateway migrates it at its next start (docs/journal-migrations.md)
  if (manifest.journalSchemaVersion > highest) {
    throw refused(
      `${archive}: its journal has schema version ${manifest.journalSchemaVersion}, newer than this gateway knows (${highest}): restore with the release that wrote it`,
    )
  }
  if (manifest.storeId !== store.storeId && !force) {
    throw refused(
      `${archive}: is a backup of store "${manifest.storeId}", the config ${store.configFile} is for "${store.storeId}" (--force to restore it anyway)`,
    )
  }
  const journal = join(store.dataDir, JOURNAL_FILE)
  const liveness = journalLiveness(journal)
  // not even forced: two writers on one journal would corrupt it
  if (liveness.kind === 'in_use') {
    throw refused(`${journal} is open in a running gateway: stop it first (systemctl stop storeguard)`)
  }
  // a damaged journal is when a restore is needed most; only a person can say nothing in it is worth a look
  if (liveness.kind === 'unreadable' && !force) {
    throw refused(
      `${journal} is not a readable journal (${liveness.code}): --force to restore over it (the damaged file is kept, renamed, with its -wal and -shm)`,
    )
  }
  if (liveness.kind === 'free' && journalHasRows(journal) && !force) {
    throw refused(`${journal} already holds a journal: --force to restore over it (the old one is kept, renamed)`)
  }
  const { configOut } = options
  // checked before the journal is touched; a folder that takes no files fails when they are staged, also before
  if (configOut !== undefined && !isFolder(configOut)) {
    throw refused(`--config-out ${configOut} is not a folder: create it first`)
  }
  const targets = backup.setupFiles.map(({ file, data }) => setupTarget(file.name, data, store, options))
  const seen = new Set<string>()
  for (const t of targets) {
    if (seen.has(t.path)) throw refused(`${archive}: two of its files would both be written to ${t.path}`)
    seen.add(t.path)
    // the journal is written by restore itself; a setup file of that name would replace or poison it
    if ([journal, `${journal}-wal`, `${journal}-shm`].includes(t.path)) {
      throw refused(`${t.path} is the journal: a config or holiday file cannot be restored over it`)
    }
  }
  const clash = targets.find((t) => t.replaces)
  if (clash && !force) throw refused(`${clash.path} exists: --force to replace it (the old one is kept, renamed)`)
  return { targets, journalUnreadable: liveness.kind === 'unreadable' }
}

/**
 * Beside the config as `NAME.restored` by default: the config the gateway
 * runs on may differ on purpose on a replacement (its address, its secrets'
 * environment), so an operator compares and moves the file. Into `configOut`
 * under its own name when the operator names a folder.
 *
 * The name is checked again here, where it becomes a path, not only when the
 * manifest was read: `config/..` would make the target the folder's parent,
 * which `--force` would rename aside and replace with a file.
 */
function setupTarget(archiveName: string, data: Buffer, store: StoreFiles, options: RestoreCheckOptions): SetupTarget {
  const name = archiveName.startsWith('config/') ? archiveName.slice('config/'.length) : ''
  if (!isSafeFileName(name)) throw refused(`"${archiveName}" is not a config or holiday file name restore writes`)
  const folder = resolve(options.configOut ?? dirname(store.configFile))
  const path = join(folder, options.configOut === undefined ? `${name}.restored` : name)
  if (dirname(path) !== folder) throw refused(`"${archiveName}" would be written outside ${folder}`)
  const existing = lstatSync(path, { throwIfNoEntry: false })
  if (existing?.isDirectory()) throw refused(`${path} is a folder: a restored file cannot replace it`)
  return { path, data, replaces: options.configOut !== undefined && existing !== undefined }
}

/** A folder, or a link to one; false for a file, nothing, or a path through a file (ENOTDIR). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

function refused(message: string): StoreGuardError {
  return new StoreGuardError('restore_refused', message)
}
