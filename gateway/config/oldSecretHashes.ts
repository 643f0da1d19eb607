import { secretHashScheme } from '../security/secretHash.js'
import { formatPath } from './configPath.js'
import type { Config } from './schema.js'

/**
 * The settings that still hold an scrypt hash from an older StoreGuard. They keep working, but every
 * check of one takes 16 MiB that the process keeps (gateway/security/secretHash.ts), so `storeguard
 * validate` and the start name them, to be re-hashed with `storeguard hash-secret`.
 */
export function oldSecretHashes(config: Config): string[] {
  const paths: string[] = []
  const check = (hash: string | undefined, segments: (string | number)[]) => {
    if (hash !== undefined && secretHashScheme(hash) === 'scrypt') paths.push(formatPath(segments))
  }
  for (const [i, c] of config.broker.clients.entries()) check(c.passwordHash, ['broker', 'clients', i, 'passwordHash'])
  for (const [i, d] of config.devices.entries()) check(d.mqtt?.passwordHash, ['devices', i, 'mqtt', 'passwordHash'])
  for (const [i, u] of config.api.users.entries()) check(u.tokenHash, ['api', 'users', i, 'tokenHash'])
  return paths
}

export const OLD_HASH_ADVICE =
  'is an scrypt hash from an older StoreGuard: it works, but each check takes 16 MiB the gateway keeps; re-hash it with `storeguard hash-secret`'
