import { createHmac, randomBytes } from 'node:crypto'
import type { ApiUserConfig } from '../config/schema.js'
import { type Role, roleAtLeast } from '../core/roles.js'
import { verifySecret } from '../security/secretHash.js'
import { createConcurrencyLimit } from './concurrencyLimit.js'

/** Same contract as `verifySecret`: true when `secret` matches the stored hash; never rejects. */
export type VerifySecret = (secret: string, storedHash: string) => Promise<boolean>

export interface TokenAuthOptions {
  /** The hash check; default `verifySecret` (scrypt, ~50 ms). Tests pass a counting wrapper. */
  readonly verify?: VerifySecret
  /** Tokens remembered after they verified, least recently used dropped first. Default 256. */
  readonly maxCachedTokens?: number
  /** Wrong tokens remembered, oldest dropped first. Default 1024. */
  readonly maxRejectedTokens?: number
  /** How long a wrong token is answered from memory, in ms. Default 60 000. */
  readonly rejectedTtlMs?: number
  /** Token checks running at once (each tries every user's hash). Default 2. */
  readonly maxConcurrentChecks?: number
  /** Checks waiting for a slot; beyond that a new token is refused unchecked. Default 32. */
  readonly maxQueuedChecks?: number
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number
}

export interface TokenAuth {
  /** The configured user whose token this is, or null (wrong, malformed, or checks saturated). */
  authenticate(token: string): Promise<ApiUserConfig | null>
}

/** Longer than any token we issue; refused before any hashing so junk costs nothing. */
const MAX_TOKEN_CHARS = 512

export { roleAtLeast }

/** The more privileged of two roles. */
export function higherRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? a : b
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1; scheme case-insensitive), or null. */
export function parseBearer(header: string | undefined): string | null {
  if (header === undefined) return null
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  return match?.[1] ?? null
}

/**
 * Bearer tokens checked against the users' scrypt `tokenHash` (SPEC §7, §9).
 * scrypt costs ~50 ms per user per check, so results are remembered under a
 * keyed hash of the token: a verified token maps to its user (bounded LRU),
 * a wrong one is remembered for `rejectedTtlMs` (bounded), and concurrent
 * requests with the same token share one check. The raw token is never stored.
 */
export function createTokenAuth(users: readonly ApiUserConfig[], options: TokenAuthOptions = {}): TokenAuth {
  const verify = options.verify ?? verifySecret
  const maxCached = options.maxCachedTokens ?? 256
  const maxRejected = options.maxRejectedTokens ?? 1024
  const rejectedTtlMs = options.rejectedTtlMs ?? 60_000
  const now = options.now ?? Date.now
  const limit = createConcurrencyLimit(options.maxConcurrentChecks ?? 2, options.maxQueuedChecks ?? 32)
  // HMAC with a per-process key rather than bare sha256: a heap dump then
  // gives no offline guessing oracle for short tokens.
  const cacheKey = randomBytes(32)
  const verified = new Map<string, ApiUserConfig>()
  const rejectedUntil = new Map<string, number>()
  const inFlight = new Map<string, Promise<ApiUserConfig | null>>()

  function remember(digest: string, user: ApiUserConfig | null): void {
    if (user !== null) {
      if (verified.size >= maxCached) dropOldest(verified)
      verified.set(digest, user)
    } else {
      if (rejectedUntil.size >= maxRejected) dropOldest(rejectedUntil)
      rejectedUntil.set(digest, now() + rejectedTtlMs)
    }
  }

  async function check(token: string, digest: string): Promise<ApiUserConfig | null> {
    // Saturated: refuse without remembering, since the token is not known to be wrong.
    if (!(await limit.acquire())) return null
    try {
      const user = await findUser(users, token, verify)
      remember(digest, user)
      return user
    } finally {
      limit.release()
    }
  }

  return {
    async authenticate(token: string): Promise<ApiUserConfig | null> {
      if (token.length === 0 || token.length > MAX_TOKEN_CHARS) return null
      const digest = createHmac('sha256', cacheKey).update(token).digest('base64')
      const user = verified.get(digest)
      if (user !== undefined) {
        verified.delete(digest) // re-insert: Map order is our LRU order
        verified.set(digest, user)
        return user
      }
      const until = rejectedUntil.get(digest)
      if (until !== undefined) {
        if (now() < until) return null
        rejectedUntil.delete(digest)
      }
      const pending = inFlight.get(digest)
      if (pending !== undefined) return pending
      const started = check(token, digest).finally(() => inFlight.delete(digest))
      inFlight.set(digest, started)
      return started
    },
  }
}

async function findUser(
  users: readonly ApiUserConfig[],
  token: string,
  verify: VerifySecret,
): Promise<ApiUserConfig | null> {
  for (const user of users) {
    if (await verify(token, user.tokenHash)) return user
  }
  return null
}

function dropOldest(map: Map<string, unknown>): void {
  const oldest = map.keys().next()
  if (oldest.done !== true) map.delete(oldest.value)
}
