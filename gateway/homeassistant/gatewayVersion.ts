import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The gateway's version from the nearest package.json above this module, for
 * the `sw_version` HA shows on the gateway's device page. `unknown` when there
 * is none: a missing version must not stop discovery.
 */
export function gatewayVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      try {
        const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }
        return typeof version === 'string' ? version : 'unknown'
      } catch {
        return 'unknown'
      }
    }
    if (dirname(dir) === dir) return 'unknown'
  }
}
