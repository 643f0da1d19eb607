import { randomBytes } from 'node:crypto'
import type { ApiUserConfig } from '../../gateway/config/schema.js'
import { hashSecret } from '../../gateway/security/secretHash.js'

/** One API user per role for HTTP tests, with fresh random tokens (stored as scrypt hashes, as in a config). */
export function apiTestUsers() {
  const token = (role: string) => `${role}-${randomBytes(16).toString('hex')}`
  const tokens = {
    viewer: token('viewer'),
    staff: token('staff'),
    maintenance: token('maintenance'),
    manager: token('manager'),
  }
  const users: ApiUserConfig[] = [
    { name: 'alice', role: 'viewer', tokenHash: hashSecret(tokens.viewer) },
    { name: 'bob', role: 'staff', tokenHash: hashSecret(tokens.staff) },
    { name: 'dave', role: 'maintenance', tokenHash: hashSecret(tokens.maintenance) },
    { name: 'carol', role: 'manager', tokenHash: hashSecret(tokens.manager) },
  ]
  return { tokens, users }
}
