import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The version in the gateway's package.json, found upward from this module
 * (it runs from gateway/backup under tests and from dist/gateway/backup when
 * installed); "unknown" if none is found, since a backup must not fail on it.
 */
export function gatewayVersion(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (!existsSync(file)) continue
    const { version } = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }
    return typeof version === 'string' ? version : 'unknown'
  }
  return 'unknown'
}
