import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto'

/**
 * Secrets (device passwords, API tokens) are stored as scrypt hashes in the
 * config: `scrypt$N$r$p$salt$hash`, base64 salt and hash. docs/requirements.md#security: nobody gets
 * in who should not, and a leaked config file leaks no password.
 */
const N = 16384
const R = 8
const P = 1
const KEY_LENGTH = 32

export function hashSecret(secret: string): string {
  const salt = randomBytes(16)
  const hash = scryptSync(secret, salt, KEY_LENGTH, { N, r: R, p: P })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`
}

interface ParsedHash {
  readonly n: number
  readonly r: number
  readonly p: number
  readonly salt: Buffer
  readonly hash: Buffer
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string]
  return {
    n: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  }
}

/** Constant-time check of `secret` against a stored hash; never throws. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  // hashSecret always writes KEY_LENGTH bytes; a truncated hash would accept a prefix match (1 byte: 1 guess in 256)
  if (parsed === null || parsed.hash.length !== KEY_LENGTH) return false
  const derived = await new Promise<Buffer | null>((resolve) => {
    try {
      scrypt(
        secret,
        parsed.salt,
        parsed.hash.length,
        { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: 64 * 1024 * 1024 },
        (err, key) => resolve(err ? null : key),
      )
    } catch {
      resolve(null) // bad N/r/p (not a power of 2, too much memory) throws synchronously
    }
  })
  return derived !== null && timingSafeEqual(derived, parsed.hash)
}
