import { gunzipSync, gzipSync } from 'node:zlib'

/** One regular file in an archive. */
export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated, at most 100 bytes. */
  readonly name: string
  readonly data: Buffer
}

const BLOCK = 512

/**
 * The most a backup may hold, unpacked. Backup and restore keep the whole
 * archive in memory (three files, the journal by far the largest), and a Pi
 * has little of it: a crafted archive of a few kilobytes can inflate to
 * gigabytes, so restore stops inflating here instead of running out of
 * memory, and backup refuses to write what restore would refuse to read.
 * Restore needs about twice this at its peak (the unpacked archive and the
 * copy of the journal SQLite checks).
 */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024

/** `512 MiB`, for messages. */
export function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`
}

/**
 * Packs files into a gzip-compressed POSIX ustar archive, the format `tar -xzf`
 * reads on any Pi, so an operator can look into a backup without StoreGuard.
 * Only what a backup needs: regular files, mode 0600, no directories or links.
 * Written here rather than with a tar package: the backup holds three small
 * files, and ~100 lines of a documented format cost less than a dependency.
 */
export function packTarGz(entries: readonly ArchiveEntry[], mtimeMs: number, maxBytes = MAX_BACKUP_BYTES): Buffer {
  const size = entries.reduce((sum, e) => sum + BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK, 2 * BLOCK)
  if (size > maxBytes) {
    throw new Error(`the backup would unpack to ${mebibytes(size)}, more than restore reads (${mebibytes(maxBytes)})`)
  }
  const parts: Buffer[] = []
  for (const entry of entries) {
    parts.push(header(entry, Math.floor(mtimeMs / 1000)), entry.data)
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK
    parts.push(Buffer.alloc(padding))
  }
  // the end of an archive is two zero blocks
  parts.push(Buffer.alloc(2 * BLOCK))
  return gzipSync(Buffer.concat(parts))
}

/**
 * Reads back what `packTarGz` wrote (and any ustar/GNU tar of regular files).
 * Throws a one-line `Error` saying what is wrong: not gzip, a truncated
 * archive, a header whose checksum does not add up, a duplicate name, more
 * than `maxBytes` unpacked.
 */
export function unpackTarGz(archive: Buffer, maxBytes = MAX_BACKUP_BYTES): Map<string, Buffer> {
  let tar: Buffer
  try {
    // inflating stops at the limit: what a crafted archive says of its own size is not trusted
    tar = gunzipSync(archive, { maxOutputLength: maxBytes })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(`unpacks to more than ${mebibytes(maxBytes)}, the most a backup may hold`)
    }
    throw new Error(`not a gzip file or truncated (${(err as Error).message})`)
  }
  const files = new Map<string, Buffer>()
  let at = 0
  for (;;) {
    if (at + BLOCK > tar.length) throw new Error('archive ends without its end-of-archive blocks')
    const block = tar.subarray(at, at + BLOCK)
    if (block.every((b) => b === 0)) return files
    if (checksum(block) !== octal(block, 148, 8)) throw new Error(`damaged tar header at byte ${at}`)
    const name = headerName(block)
    const size = octal(block, 124, 12)
    const type = String.fromCharCode(block[156] ?? 0)
    at += BLOCK
    if (Number.isNaN(size)) throw new Error(`damaged tar header at byte ${at - BLOCK}`)
    if (at + size > tar.length) throw new Error(`${name} is cut short`)
    // directories a re-pack may add are skipped; anything else (links, devices) is not a backup of ours
    if (type === '0' || type === '\0') {
      if (files.has(name)) throw new Error(`${name} is in the archive twice`)
      files.set(name, Buffer.from(tar.subarray(at, at + size)))
    } else if (type !== '5') {
      throw new Error(`${name} is not a regular file`)
    }
    at += Math.ceil(size / BLOCK) * BLOCK
  }
}

function header(entry: ArchiveEntry, mtimeSec: number): Buffer {
  const name = Buffer.from(entry.name, 'utf8')
  if (name.length > 100) throw new Error(`archive name too long: ${entry.name}`)
  const block = Buffer.alloc(BLOCK)
  name.copy(block, 0)
  writeOctal(block, 100, 8, 0o600)
  writeOctal(block, 108, 8, 0)
  writeOctal(block, 116, 8, 0)
  writeOctal(block, 124, 12, entry.data.length)
  writeOctal(block, 136, 12, mtimeSec)
  block.write('0', 156, 'latin1')
  block.write('ustar\u000000', 257, 'latin1')
  block.write('root', 265, 'latin1')
  block.write('root', 297, 'latin1')
  // the checksum field reads as spaces while the sum is taken; then 6 digits, NUL, space
  const sum = checksum(block)
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1')
  return block
}

/** The sum of the header's bytes with its own checksum field read as spaces. */
function checksum(block: Buffer): number {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0)
  return sum
}

function headerName(block: Buffer): string {
  const field = (from: number, length: number) => {
    const raw = block.subarray(from, from + length)
    const end = raw.indexOf(0)
    return raw.subarray(0, end < 0 ? length : end).toString('utf8')
  }
  const name = field(0, 100)
  const prefix = block.toString('latin1', 257, 262) === 'ustar' ? field(345, 155) : ''
  return prefix === '' ? name : `${prefix}/${name}`
}

function writeOctal(block: Buffer, at: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, at, 'latin1')
}

function octal(block: Buffer, at: number, length: number): number {
  const text = block
    .toString('latin1', at, at + length)
    .replace(/[\0 ]+$/, '')
    .trim()
  if (!/^[0-7]+$/.test(text)) return Number.NaN
  return Number.parseInt(text, 8)
}
