import { pbkdf2, pbkdf2Sync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

/**
 * Secrets (device passwords, API tokens) are stored hashed in the config. docs/requirements.md#security:
 * nobody gets in who should not, and a leaked config file leaks no password.
 *
 * New hashes are PBKDF2-HMAC-SHA512 in mosquitto's own format, `$7$<iterations>$<salt>$<hash>`
 * (base64), as `mosquitto_passwd` writes them: a hash from either tool works in the other. PBKDF2
 * needs no memory to speak of, where the scrypt hashes StoreGuard wrote before cost 16 MiB per
 * check, which glibc then keeps: 40 devices logging in grew a gateway by ~70 MB, a lot on a Pi with
 * 512 MB shared with the OS and mosquitto (docs/performance.md#password-hashes). Those older
 * `scrypt$N$r$p$salt$hash` hashes are still accepted, so no config breaks; the gateway says at start
 * which to re-hash.
 */
const ITERATIONS = 50_000
const SALT_BYTES = 16
/** SHA-512's output, as mosquitto stores it. */
const PBKDF2_KEY_BYTES = 64
/** Above this a stored hash is refused rather than run: one check must not take the gateway minutes. */
const MAX_ITERATIONS = 10_000_000
const SCRYPT_KEY_BYTES = 32

export function hashSecret(secret: string): string {
  const salt = randomBytes(SALT_BYTES)
  const hash = pbkdf2Sync(secret, salt, ITERATIONS, PBKDF2_KEY_BYTES, 'sha512')
  return `$7$${ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`
}

/** Which scheme a stored hash uses; null when it is neither. */
export function secretHashScheme(stored: string): 'pbkdf2-sha512' | 'scrypt' | null {
  return parseHash(stored)?.scheme ?? null
}

type ParsedHash =
  | { readonly scheme: 'pbkdf2-sha512'; readonly iterations: number; readonly salt: Buffer; readonly hash: Buffer }
  | {
      readonly scheme: 'scrypt'
      readonly n: number
      readonly r: number
      readonly p: number
      readonly salt: Buffer
      readonly hash: Buffer
    }

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$')
  if (parts.length === 5 && parts[0] === '' && parts[1] === '7') {
    const [, , iterations, salt, hash] = parts as [string, string, string, string, string]
    const n = Number(iterations)
    if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ITERATIONS) return null
    return {
      scheme: 'pbkdf2-sha512',
      iterations: n,
      salt: Buffer.from(salt, 'base64'),
      hash: Buffer.from(hash, 'base64'),
    }
  }
  if (parts.length === 6 && parts[0] === 'scrypt') {
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string]
    return {
      scheme: 'scrypt',
      n: Number(n),
      r: Number(r),
      p: Number(p),
      salt: Buffer.from(salt, 'base64'),
      hash: Buffer.from(hash, 'base64'),
    }
  }
  return null
}

/** The key `secret` derives under the stored hash's scheme and parameters; null when they cannot be run. */
function derive(secret: string, parsed: ParsedHash): Promise<Buffer | null> {
  return new Promise<Buffer | null>((resolve) => {
    try {
      if (parsed.scheme === 'pbkdf2-sha512') {
        pbkdf2(secret, parsed.salt, parsed.iterations, PBKDF2_KEY_BYTES, 'sha512', (err, key) =>
          resolve(err ? null : key),
        )
      } else {
        scrypt(
          secret,
          parsed.salt,
          SCRYPT_KEY_BYTES,
          { N: parsed.n, r: parsed.r, p: parsed.p, maxmem: 64 * 1024 * 1024 },
          (err, key) => resolve(err ? null : key),
        )
      }
    } catch {
      resolve(null) // bad scrypt N/r/p (not a power of 2, too much memory) throws synchronously
    }
  })
}

/** Constant-time check of `secret` against a stored hash; never throws. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  // each scheme's hash has one length; a truncated hash would accept a prefix match (1 byte: 1 guess in 256)
  const keyBytes = parsed?.scheme === 'scrypt' ? SCRYPT_KEY_BYTES : PBKDF2_KEY_BYTES
  if (parsed === null || parsed.hash.length !== keyBytes) return false
  const derived = await derive(secret, parsed)
  return derived !== null && timingSafeEqual(derived, parsed.hash)
}
