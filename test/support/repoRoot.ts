import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The checkout's root: the nearest folder up with a package.json. Test support
 * runs from test/support under vitest and from dist/test/support in the
 * benchmarks, so paths are found from here, not counted in `..`s.
 */
export const REPO_ROOT = findRoot(import.meta.dirname)

function findRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${from}`)
    dir = parent
  }
  return dir
}
