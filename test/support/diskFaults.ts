import { execFileSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './tempDir.js'

function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' })
}

function unmount(dir: string): void {
  // lazy: a gateway that died with the file open must not keep the mount busy for the next test
  execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
}

/** A small tmpfs that can be filled to the last page and emptied again: a full SD card on demand. */
export interface SmallDisk {
  readonly path: string
  /** Writes a filler file until the disk says ENOSPC. */
  fill(): void
  /** Deletes the filler: space is back. */
  free(): void
  remove(): void
}

export function smallDisk(sizeKb = 2048): SmallDisk {
  const dir = tempDir()
  mount('-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir.path)
  const filler = join(dir.path, 'filler')
  return {
    path: dir.path,
    fill() {
      const fd = openSync(filler, 'a')
      const chunk = Buffer.alloc(4096)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        closeSync(fd)
      }
    },
    free: () => rmSync(filler, { force: true }),
    remove() {
      unmount(dir.path)
      dir.remove()
    },
  }
}

/**
 * A data dir seen through a read-only bind mount, the way ext4 remounts a
 * failing card (errors=remount-ro); `writable()` is the card replaced.
 */
export interface ReadOnlyDir {
  /** The view the gateway uses. */
  readonly path: string
  /** The same files, writable, for the test to set up. */
  readonly source: string
  readOnly(): void
  writable(): void
  remove(): void
}

export function readOnlyDir(): ReadOnlyDir {
  const base = tempDir()
  const source = join(base.path, 'source')
  const view = join(base.path, 'view')
  mkdirSync(source)
  mkdirSync(view)
  mount('--bind', source, view)
  return {
    path: view,
    source,
    readOnly: () => mount('-o', 'remount,bind,ro', view),
    writable: () => mount('-o', 'remount,bind,rw', view),
    remove() {
      unmount(view)
      base.remove()
    },
  }
}
