import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'
import { StoreGuardError } from '../core/errors.js'
import { writeFileAtomic } from './atomicFile.js'
import { gatewayVersion } from './gatewayVersion.js'
import { snapshotJournal } from './journalSnapshot.js'
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  describeFile,
  isSafeFileName,
  MANIFEST_NAME,
  type Manifest,
  type ManifestFile,
} from './manifest.js'
import { JOURNAL_FILE, type StoreFiles } from './storeFiles.js'
import { type ArchiveEntry, packTarGz } from './tarArchive.js'

export interface BackupOptions {
  /** The archive to write, or a folder for it; default `storeguard-backup-<store>-<UTC stamp>.tar.gz` in `cwd`. */
  readonly out?: string | undefined
  readonly cwd?: string
  readonly now?: () => Date
}

export interface BackupResult {
  readonly file: string
  readonly bytes: number
  readonly manifest: Manifest
}

/**
 * One archive with everything a replacement gateway needs to carry on as
 * this one: a consistent copy of the journal taken while the gateway runs,
 * the config file as it is (its `${ENV}` references and hashes untouched,
 * never printed), the holiday-overrides file if the config names one, and a
 * manifest with each file's size and sha256 that restore checks.
 */
export async function createBackup(store: StoreFiles, options: BackupOptions = {}): Promise<BackupResult> {
  const now = (options.now ?? (() => new Date()))()
  const cwd = options.cwd ?? process.cwd()
  const out = options.out === undefined ? cwd : resolve(cwd, options.out)
  // a folder (a backup directory, the current one by default) gets the default name inside it
  const file = isFolder(out) ? join(out, defaultName(store.storeId, now)) : out
  const journal = join(store.dataDir, JOURNAL_FILE)
  if (!existsSync(journal)) throw failed(`${journal}: no journal to back up (has the gateway run with this config?)`)
  // beside the archive, not in /tmp: a journal can outgrow a RAM-backed /tmp, and the archive's folder has room for it
  const work = tryFs(() => mkdtempSync(join(dirname(file), '.storeguard-backup-')), dirname(file))
  try {
    const copy = join(work, JOURNAL_FILE)
    const schemaVersion = await snapshotJournal(journal, copy).catch((err: unknown) => {
      throw failed(`${journal}: cannot copy the journal (${reason(err)})`, err)
    })
    const entries: ArchiveEntry[] = []
    const files: ManifestFile[] = []
    const add = (name: string, role: ManifestFile['role'], source: string, data: Buffer) => {
      // restore takes only such names (they become paths there): refuse now rather than write a backup it refuses
      if (role !== 'journal' && !isSafeFileName(basename(source))) {
        throw failed(`${source}: restore takes only file names of letters, digits, ".", "_" and "-": rename it`)
      }
      entries.push({ name, data })
      files.push(describeFile(name, role, source, data))
    }
    add(`journal/${JOURNAL_FILE}`, 'journal', journal, read(copy))
    add(`config/${basename(store.configFile)}`, 'config', store.configFile, read(store.configFile))
    if (store.holidayOverrides !== undefined) {
      const holidays = holidayFile(store.configFile, store.holidayOverrides)
      add(`config/${basename(holidays)}`, 'holidayOverrides', holidays, read(holidays))
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      storeId: store.storeId,
      journalSchemaVersion: schemaVersion,
      createdAt: now.toISOString(),
      gatewayVersion: gatewayVersion(),
      files,
    }
    const manifestEntry = { name: MANIFEST_NAME, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }
    const archive = tryFs(() => packTarGz([manifestEntry, ...entries], now.getTime()), journal)
    tryFs(() => writeFileAtomic(file, archive), file)
    return { file, bytes: archive.length, manifest }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** `tickets.holidayOverrides` is relative to the config file's folder, as the calendar reads it. */
export function holidayFile(configFile: string, setting: string): string {
  return isAbsolute(setting) ? setting : resolve(dirname(configFile), setting)
}

/** `storeguard-backup-<store>-20261207T051000Z.tar.gz`: sorts by time, and says which store it is. */
export function defaultName(storeId: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  return `storeguard-backup-${storeId.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.tar.gz`
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory()
}

function read(path: string): Buffer {
  return tryFs(() => readFileSync(path), path)
}

function tryFs<T>(run: () => T, path: string): T {
  try {
    return run()
  } catch (err) {
    throw failed(`${path}: ${reason(err)}`, err)
  }
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException
  return e.code ?? e.message ?? String(err)
}

function failed(message: string, cause?: unknown): StoreGuardError {
  return new StoreGuardError('backup_failed', message, { cause })
}
