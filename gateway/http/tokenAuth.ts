import { createHmac, randomBytes } from 'node:crypto'
import type { ApiUserConfig } from '../config/schema.js'
import { type Role, roleAtLeast } from '../core/roles.js'
import { type FairCheckQueue, sharedCheckQueue } from '../security/fairCheckQueue.js'
import { createLoginBackoff, type LoginBackoffOptions } from '../security/loginBackoff.js'
import { verifySecret } from '../security/secretHash.js'

/** Same contract as `verifySecret`: true when `secret` matches the stored hash; never rejects. */
export type VerifySecret = (secret: string, storedHash: string) => Promise<boolean>

export interface TokenAuthOptions {
  /** The hash check; default `verifySecret` (PBKDF2, tens of ms). Tests pass a counting wrapper. */
  readonly verify?: VerifySecret
  /** Tokens remembered after they verified, least recently used dropped first. Default 256. */
  readonly maxCachedTokens?: number
  /** Wrong tokens remembered, oldest dropped first. Default 1024. */
  readonly maxRejectedTokens?: number
  /** How long a wrong token is answered from memory, in ms. Default 60 000. */
  readonly rejectedTtlMs?: number
  /** The scheduler of slow checks; default the process's shared one. */
  readonly queue?: FairCheckQueue
  /** Per-address back-off after failed tokens; defaults in `LoginBackoffOptions`. */
  readonly backoff?: Omit<LoginBackoffOptions, 'now'>
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number
}

/**
 * The answer to a token. `wrong` only ever means "checked and wrong" (or
 * malformed): a token that could not be checked is `busy`, never `wrong`.
 */
export type TokenCheck =
  | { readonly kind: 'user'; readonly user: ApiUserConfig }
  | { readonly kind: 'wrong' }
  /** This address has too many checks waiting; try again shortly. */
  | { readonly kind: 'busy'; readonly retryAfterMs: number }
  /** This address failed too often; nothing is checked from it until the window ends. */
  | { readonly kind: 'backoff'; readonly retryAfterMs: number }

export interface TokenAuth {
  /** Whose token this is, as sent from `source` (the peer's address). */
  authenticate(token: string, source: string): Promise<TokenCheck>
}

/** A busy address is asked to come back after about one check's time. */
const BUSY_RETRY_MS = 1_000
const WRONG: TokenCheck = Object.freeze({ kind: 'wrong' })

/** Longer than any token we issue; refused before any hashing so junk costs nothing. */
const MAX_TOKEN_CHARS = 512

export { roleAtLeast }

/** The API's users: a fixed list, or a function read at every check, so a reload can replace the list. */
export type ApiUsers = readonly ApiUserConfig[] | (() => readonly ApiUserConfig[])

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
 * Bearer tokens checked against the users' `tokenHash` (PBKDF2, or an older scrypt): tens of ms
 * per user per check, so results are remembered under a keyed hash of
 * the token: a verified token maps to its user (bounded LRU), a wrong one is
 * remembered for `rejectedTtlMs` (bounded), and concurrent requests with the
 * same token share one check. The raw token is never stored. Checks wait
 * their turn in the fair queue by address, and an address that keeps sending
 * wrong tokens is backed off, so a flood from one address neither locks out
 * another nor gets its guesses checked at hash speed.
 */
export function createTokenAuth(users: ApiUsers, options: TokenAuthOptions = {}): TokenAuth {
  const usersNow = typeof users === 'function' ? users : () => users
  const verify = options.verify ?? verifySecret
  const maxCached = options.maxCachedTokens ?? 256
  const maxRejected = options.maxRejectedTokens ?? 1024
  const rejectedTtlMs = options.rejectedTtlMs ?? 60_000
  const now = options.now ?? Date.now
  const queue = options.queue ?? sharedCheckQueue()
  const backoff = createLoginBackoff({ ...options.backoff, now })
  // HMAC with a per-process key rather than bare sha256: a heap dump then
  // gives no offline guessing oracle for short tokens.
  const cacheKey = randomBytes(32)
  const verified = new Map<string, ApiUserConfig>()
  const rejectedUntil = new Map<string, number>()
  const inFlight = new Map<string, Promise<TokenCheck>>()
  // A reload replaces the users list: what was remembered of the old one is forgotten, and a
  // check still running against it is answered but not remembered, so a removed token is
  // refused from the next request on and a new one is not refused from memory.
  let known = usersNow()
  let generation = 0

  function followUsers(): void {
    const current = usersNow()
    if (current === known) return
    known = current
    generation += 1
    verified.clear()
    rejectedUntil.clear()
    inFlight.clear()
  }

  function remember(digest: string, user: ApiUserConfig | null): void {
    if (user !== null) {
      if (verified.size >= maxCached) dropOldest(verified)
      verified.set(digest, user)
    } else {
      if (rejectedUntil.size >= maxRejected) dropOldest(rejectedUntil)
      rejectedUntil.set(digest, now() + rejectedTtlMs)
    }
  }

  async function check(token: string, digest: string, source: string): Promise<TokenCheck> {
    const checkedAgainst = generation
    const list = known
    const outcome = await queue.run(source, () => findUser(list, token, verify))
    // busy: not remembered, since the token is not known to be wrong
    if (outcome.kind === 'busy') return { kind: 'busy', retryAfterMs: BUSY_RETRY_MS }
    if (checkedAgainst === generation) remember(digest, outcome.value)
    return outcome.value === null ? WRONG : { kind: 'user', user: outcome.value }
  }

  /** Counts the answer against or for the address that sent the token. */
  function settle(result: TokenCheck, source: string): TokenCheck {
    if (result.kind === 'user') backoff.succeeded(source)
    else if (result.kind === 'wrong') backoff.failed(source)
    return result
  }

  return {
    async authenticate(token: string, source: string): Promise<TokenCheck> {
      // before any cache: a backed-off address must not guess at memory speed either
      const waitMs = backoff.waitMs(source)
      if (waitMs > 0) return { kind: 'backoff', retryAfterMs: waitMs }
      if (token.length === 0 || token.length > MAX_TOKEN_CHARS) return settle(WRONG, source)
      followUsers()
      const digest = createHmac('sha256', cacheKey).update(token).digest('base64')
      const user = verified.get(digest)
      if (user !== undefined) {
        verified.delete(digest) // re-insert: Map order is our LRU order
        verified.set(digest, user)
        return settle({ kind: 'user', user }, source)
      }
      const until = rejectedUntil.get(digest)
      if (until !== undefined) {
        if (now() < until) return settle(WRONG, source)
        rejectedUntil.delete(digest)
      }
      let pending = inFlight.get(digest)
      if (pending === undefined) {
        const started = check(token, digest, source).finally(() => inFlight.delete(digest))
        inFlight.set(digest, started)
        pending = started
      }
      return settle(await pending, source)
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
