import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Writes `data` to `path` so that `path` is either absent, its old self, or
 * complete: the bytes go to a hidden `.partial` file beside it, are synced,
 * and only then renamed over (a rename within one folder is atomic). A crash
 * or a full card half-way leaves at most the `.partial` file, which no one
 * takes for a finished archive or journal. Mode 0600 by default: a backup
 * holds the config's password hashes.
 */
export function writeFileAtomic(path: string, data: Buffer, mode = 0o600): void {
  const partial = stageFile(path, data, mode)
  try {
    renameSync(partial, path)
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  }
  syncFolder(dirname(path))
}

/**
 * The first half of `writeFileAtomic`: `data` written and synced under the
 * hidden `.partial` name beside `path`, which it returns. Renaming it to
 * `path` is the second half; a caller writing several files stages them all
 * first, so a failure leaves none of them half-done. On failure it removes
 * what it wrote, and only that: a file of that name it did not create stays.
 */
export function stageFile(path: string, data: Buffer, mode = 0o600): string {
  const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`)
  const fd = openSync(partial, 'wx', mode)
  try {
    try {
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch (err) {
    rmSync(partial, { force: true })
    throw err
  }
  return partial
}

/** Makes a rename in `dir` survive a power cut; best effort, since not every file system lets a folder be synced. */
export function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // the data itself is synced; only the rename's durability is left to the file system
  }
}
