import { createHash } from 'node:crypto'
import { type Static, Type as T } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { JOURNAL_FILE } from './storeFiles.js'

/** What `format` says in every StoreGuard backup: a tar.gz of anything else is refused by name. */
export const BACKUP_FORMAT = 'storeguard-backup'
/**
 * The layout of the archive and manifest this build writes and reads. A later
 * build that changes the layout raises it, and this one refuses what it cannot read.
 */
export const BACKUP_FORMAT_VERSION = 1
/** The manifest's name in the archive; written first, so `tar -tzf` shows it at the top. */
export const MANIFEST_NAME = 'manifest.json'

const FileRole = T.Union([T.Literal('journal'), T.Literal('config'), T.Literal('holidayOverrides')])
export type FileRole = Static<typeof FileRole>

const ManifestFile = T.Object({
  /** Path inside the archive. */
  name: T.String({ minLength: 1 }),
  role: FileRole,
  /** Where the file was taken from on the gateway that made the backup. */
  source: T.String(),
  size: T.Integer({ minimum: 0 }),
  sha256: T.String({ pattern: '^[0-9a-f]{64}$' }),
})
export type ManifestFile = Static<typeof ManifestFile>

const ManifestSchema = T.Object({
  format: T.Literal(BACKUP_FORMAT),
  formatVersion: T.Integer({ minimum: 1 }),
  storeId: T.String({ minLength: 1 }),
  /** `PRAGMA user_version` of the journal in the archive (docs/journal-migrations.md). */
  journalSchemaVersion: T.Integer({ minimum: 0 }),
  /** ISO 8601, UTC. */
  createdAt: T.String(),
  gatewayVersion: T.String(),
  files: T.Array(ManifestFile),
})
export type Manifest = Static<typeof ManifestSchema>

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The manifest line of one file about to be archived. */
export function describeFile(name: string, role: FileRole, source: string, data: Buffer): ManifestFile {
  return { name, role, source, size: data.length, sha256: sha256(data) }
}

/**
 * Reads a manifest, returning what is wrong with it as one line instead of
 * throwing. The format version is checked before the shape, so a newer
 * layout is reported as newer, not as a list of unknown fields.
 */
export function parseManifest(text: string): Manifest | string {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return `${MANIFEST_NAME} is not JSON`
  }
  const head = data as { format?: unknown; formatVersion?: unknown } | null
  if (typeof head !== 'object' || head === null || head.format !== BACKUP_FORMAT) {
    return `${MANIFEST_NAME} is not a StoreGuard backup manifest`
  }
  if (typeof head.formatVersion === 'number' && head.formatVersion > BACKUP_FORMAT_VERSION) {
    return `backup format ${head.formatVersion} is newer than this gateway reads (${BACKUP_FORMAT_VERSION}): restore with the release that wrote it`
  }
  if (!Value.Check(ManifestSchema, data)) {
    const first = Value.Errors(ManifestSchema, data).First()
    return `${MANIFEST_NAME} is invalid: ${first ? `${first.path || '/'} ${first.message}` : 'unexpected shape'}`
  }
  // restore turns these names into paths: anything but the layout this build writes could point outside its folders
  const badName = data.files.find((f) => !isArchiveName(f.name, f.role))
  if (badName) return `${MANIFEST_NAME} lists "${badName.name}" as ${badName.role}, not a name a StoreGuard backup uses`
  const roles = data.files.map((f) => f.role)
  if (roles.filter((r) => r === 'journal').length !== 1) return `${MANIFEST_NAME} must list exactly one journal`
  if (new Set(data.files.map((f) => f.name)).size !== data.files.length) return `${MANIFEST_NAME} lists a file twice`
  return data
}

/**
 * A file name restore may write: letters, digits, `.`, `_` and `-`, not `.`
 * or `..`, so joined to a folder it names a file in that folder and nothing
 * else (no `/`, no parent, not the folder itself).
 */
export function isSafeFileName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..'
}

/** `journal/storeguard.db` for the journal, `config/<safe name>` for the config and holiday files. */
function isArchiveName(name: string, role: FileRole): boolean {
  if (role === 'journal') return name === `journal/${JOURNAL_FILE}`
  return name.startsWith('config/') && isSafeFileName(name.slice('config/'.length))
}

/**
 * Every file the manifest lists is in the archive with its size and sha256,
 * and the archive holds nothing else; the first problem as one line, or null.
 * A file nobody listed is refused rather than ignored: it is not a backup
 * this build wrote, and no checksum vouches for it.
 */
export function checkFiles(manifest: Manifest, files: ReadonlyMap<string, Buffer>): string | null {
  const listed = new Set(manifest.files.map((f) => f.name))
  const extra = [...files.keys()].find((name) => name !== MANIFEST_NAME && !listed.has(name))
  if (extra !== undefined) return `${extra} is in the archive but not in its ${MANIFEST_NAME}`
  for (const f of manifest.files) {
    const data = files.get(f.name)
    if (data === undefined) return `${f.name} is missing from the archive`
    if (data.length !== f.size) return `${f.name} has ${data.length} bytes, the manifest says ${f.size}`
    if (sha256(data) !== f.sha256) return `${f.name} does not match its sha256 in the manifest`
  }
  return null
}
