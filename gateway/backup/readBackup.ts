import { readFileSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { StoreGuardError } from '../core/errors.js'
import { checkFiles, MANIFEST_NAME, type Manifest, type ManifestFile, parseManifest } from './manifest.js'
import { MAX_BACKUP_BYTES, mebibytes, unpackTarGz } from './tarArchive.js'

/** A backup whose manifest, checksums and journal have been checked. */
export interface VerifiedBackup {
  readonly manifest: Manifest
  readonly journal: Buffer
  /** The config and holiday-overrides files, with their manifest lines. */
  readonly setupFiles: readonly { readonly file: ManifestFile; readonly data: Buffer }[]
}

/**
 * Reads an archive and checks everything that can be checked without the
 * store it is for: that it is a StoreGuard backup in a format this build
 * reads, that every file the manifest lists is there with its size and
 * sha256, and that the journal is a sound SQLite file of the schema version
 * the manifest says. Throws `backup_invalid` with one line saying what is wrong.
 */
export function readBackup(path: string): VerifiedBackup {
  let archive: Buffer
  try {
    // compressed, it is smaller than unpacked: a larger file is no backup of ours, and is not read into memory
    const { size } = statSync(path)
    if (size > MAX_BACKUP_BYTES) {
      throw invalid(`${path}: is ${mebibytes(size)}, more than a backup may hold (${mebibytes(MAX_BACKUP_BYTES)})`)
    }
    archive = readFileSync(path)
  } catch (err) {
    if (err instanceof StoreGuardError) throw err
    throw invalid(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err)
  }
  let files: Map<string, Buffer>
  try {
    files = unpackTarGz(archive)
  } catch (err) {
    throw invalid(`${path}: not a readable backup archive: ${(err as Error).message}`, err)
  }
  const text = files.get(MANIFEST_NAME)
  if (text === undefined) throw invalid(`${path}: has no ${MANIFEST_NAME}: not a StoreGuard backup`)
  const manifest = parseManifest(text.toString('utf8'))
  if (typeof manifest === 'string') throw invalid(`${path}: ${manifest}`)
  const problem = checkFiles(manifest, files)
  if (problem !== null) throw invalid(`${path}: ${problem}`)
  const data = (f: ManifestFile) => files.get(f.name) ?? Buffer.alloc(0)
  const journalFile = manifest.files.find((f) => f.role === 'journal')
  const journal = journalFile ? data(journalFile) : Buffer.alloc(0)
  const version = journalVersion(journal)
  if (typeof version === 'string') throw invalid(`${path}: the journal in it ${version}`)
  if (version !== manifest.journalSchemaVersion) {
    throw invalid(
      `${path}: the journal has schema version ${version}, the manifest says ${manifest.journalSchemaVersion}`,
    )
  }
  const setupFiles = manifest.files.filter((f) => f.role !== 'journal').map((file) => ({ file, data: data(file) }))
  return { manifest, journal, setupFiles }
}

/** The journal image's `user_version` after SQLite's quick check, or what is wrong with it. */
function journalVersion(image: Buffer): number | string {
  const copy = Buffer.from(image)
  // the header says WAL (bytes 18-19 = 2), which a database opened from memory cannot use
  if (copy.length >= 20) copy.fill(1, 18, 20)
  let db: Database.Database | undefined
  try {
    db = new Database(copy)
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') return `fails SQLite's check: ${String(check)}`
    return db.pragma('user_version', { simple: true }) as number
  } catch (err) {
    return `is not a readable SQLite file (${(err as Error).message})`
  } finally {
    db?.close()
  }
}

function invalid(message: string, cause?: unknown): StoreGuardError {
  return new StoreGuardError('backup_invalid', message, { cause })
}
