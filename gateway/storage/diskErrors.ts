/**
 * Errors that mean "the disk under the journal cannot take writes now" rather
 * than "the code is wrong": a full card, a card the kernel remounted read-only
 * after I/O errors, a data dir the gateway may not write. These degrade the
 * gateway (it annunciates from memory); anything else is still a bug.
 */
const SQLITE_DISK_CODES = ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_NOTADB']
const FS_DISK_CODES = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EDQUOT', 'ENOENT', 'ENOTDIR'])

/** The error's code when it is a disk failure, else null. Extended SQLite codes (SQLITE_IOERR_WRITE) count. */
export function diskErrorCode(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null
  const code = (err as { code?: unknown }).code
  if (typeof code !== 'string') return null
  if (SQLITE_DISK_CODES.some((c) => code === c || code.startsWith(`${c}_`))) return code
  return FS_DISK_CODES.has(code) ? code : null
}
