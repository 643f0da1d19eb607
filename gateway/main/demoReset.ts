import { existsSync, realpathSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { isAbsolute, relative, resolve } from 'node:path'
import type { LoadedConfig } from '../config/loadConfig.js'
import { connectHost } from '../core/connectHost.js'
import { StoreGuardError } from '../core/errors.js'

/**
 * `storeguard demo-reset` (`npm run demo:reset`): the demo keeps its journal
 * between runs, as a store must, so a newcomer who wants the demo as new
 * deletes its data directory. A wrong `--config` must never turn this into
 * `rm -rf` of a store's journal or of a path somewhere else: only a config
 * with a `demo` section, and only a directory strictly inside `root` (the
 * checkout it runs from), symlinks resolved. Nor while the demo runs (its
 * API port answers): the gateway would go on writing to deleted files and
 * the next start would still find the alarms it republished on MQTT.
 * @returns the directory removed (or that was already absent)
 */
export async function resetDemoData(config: LoadedConfig, root: string): Promise<string> {
  if (!config.demo) {
    throw new StoreGuardError('demo_reset_refused', `${config.file} has no demo section: not a demo, nothing deleted`)
  }
  const dir = resolve(config.storage.dataDir)
  const base = resolve(root)
  if (!inside(base, dir) || (existsSync(dir) && !inside(realpathSync(base), realpathSync(dir)))) {
    throw new StoreGuardError('demo_reset_refused', `${dir} is not inside ${base}: nothing deleted`)
  }
  const { host, port } = config.api
  if (port !== 0 && (await answers(connectHost(host), port))) {
    throw new StoreGuardError('demo_reset_refused', `the demo runs (${host}:${port} answers): stop it first`)
  }
  rmSync(dir, { recursive: true, force: true })
  return dir
}

/** Whether something accepts a TCP connection on host:port. */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2000 })
    const settle = (open: boolean) => {
      socket.destroy()
      done(open)
    }
    socket.once('connect', () => settle(true))
    socket.once('error', () => settle(false))
    socket.once('timeout', () => settle(false))
  })
}

/** Strictly below `base`: never `base` itself. */
function inside(base: string, path: string): boolean {
  const rel = relative(base, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}
