import { existsSync, realpathSync, rmSync } from 'node:fs'
import { isAbsolute, relative, resolve } from 'node:path'
import type { LoadedConfig } from '../config/loadConfig.js'
import { StoreGuardError } from '../core/errors.js'

/**
 * `storeguard demo-reset` (`npm run demo:reset`): the demo keeps its journal
 * between runs, as a store must, so a newcomer who wants the demo as new
 * deletes its data directory. A wrong `--config` must never turn this into
 * `rm -rf` of a store's journal or of a path somewhere else: only a config
 * with a `demo` section, and only a directory strictly inside `root` (the
 * checkout it runs from), symlinks resolved. Stop the demo first: a running
 * gateway would go on writing to the deleted files.
 * @returns the directory removed (or that was already absent)
 */
export function resetDemoData(config: LoadedConfig, root: string): string {
  if (!config.demo) {
    throw new StoreGuardError('demo_reset_refused', `${config.file} has no demo section: not a demo, nothing deleted`)
  }
  const dir = resolve(config.storage.dataDir)
  const base = resolve(root)
  if (!inside(base, dir) || (existsSync(dir) && !inside(realpathSync(base), realpathSync(dir)))) {
    throw new StoreGuardError('demo_reset_refused', `${dir} is not inside ${base}: nothing deleted`)
  }
  rmSync(dir, { recursive: true, force: true })
  return dir
}

/** Strictly below `base`: never `base` itself. */
function inside(base: string, path: string): boolean {
  const rel = relative(base, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}
