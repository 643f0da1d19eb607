import { describe, expect, it } from 'vitest'
import type { ApiUserConfig } from '../config/schema.js'
import { createFairCheckQueue } from '../security/fairCheckQueue.js'
import { hashSecret } from '../security/secretHash.js'
import { createTokenAuth, parseBearer, roleAtLeast, type TokenCheck, type VerifySecret } from './tokenAuth.js'

// A stand-in hash so these tests count checks without paying scrypt; the
// API server test runs the real verifySecret.
const fakeHash = (token: string): string => `fake$${token}`
const users: ApiUserConfig[] = [
  { name: 'alice', role: 'viewer', tokenHash: fakeHash('alice-token') },
  { name: 'bob', role: 'staff', tokenHash: fakeHash('bob-token') },
]

const SRC = '192.0.2.1'
/** The user's name for a token that checked out, else the kind of answer. */
const nameOf = (check: TokenCheck): string => (check.kind === 'user' ? check.user.name : check.kind)

function countingVerify(): { verify: VerifySecret; calls: () => number } {
  let calls = 0
  const verify: VerifySecret = async (secret, stored) => {
    calls++
    return stored === fakeHash(secret)
  }
  return { verify, calls: () => calls }
}

describe('token authentication', () => {
  it('finds the user a token belongs to, and checks a known token only once', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify })
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('bob')
    const afterFirst = calls()
    expect(afterFirst).toBe(2) // alice's hash, then bob's
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('bob')
    expect(calls()).toBe(afterFirst)
  })

  it('follows a replaced users list: a removed token is refused and a new one accepted at once', async () => {
    const { verify } = countingVerify()
    let current: readonly ApiUserConfig[] = users
    const auth = createTokenAuth(() => current, { verify })
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('bob')
    expect(nameOf(await auth.authenticate('carol-token', SRC))).toBe('wrong')
    current = [users[0] as ApiUserConfig, { name: 'carol', role: 'manager', tokenHash: fakeHash('carol-token') }]
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('wrong')
    expect(nameOf(await auth.authenticate('carol-token', SRC))).toBe('carol')
  })

  it('remembers a wrong token until the negative TTL runs out', async () => {
    const { verify, calls } = countingVerify()
    let nowMs = 1_000
    const auth = createTokenAuth(users, { verify, rejectedTtlMs: 5_000, now: () => nowMs })
    expect(nameOf(await auth.authenticate('wrong', SRC))).toBe('wrong')
    expect(calls()).toBe(2)
    nowMs += 4_999
    expect(nameOf(await auth.authenticate('wrong', SRC))).toBe('wrong')
    expect(calls()).toBe(2)
    nowMs += 1
    expect(nameOf(await auth.authenticate('wrong', SRC))).toBe('wrong')
    expect(calls()).toBe(4)
  })

  it('keeps the caches bounded, forgetting the least recently used token first', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify, maxCachedTokens: 1, maxRejectedTokens: 1 })
    await auth.authenticate('alice-token', SRC) // 1 check
    await auth.authenticate('bob-token', SRC) // 2 checks, evicts alice
    await auth.authenticate('alice-token', SRC) // 1 check again
    expect(calls()).toBe(4)
    await auth.authenticate('wrong-1', SRC)
    await auth.authenticate('wrong-2', SRC) // evicts wrong-1
    await auth.authenticate('wrong-1', SRC)
    expect(calls()).toBe(4 + 6)
  })

  it('lets concurrent requests with the same token share one check', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify })
    const results = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate('bob-token', SRC)))
    expect(results.every((u) => nameOf(u) === 'bob')).toBe(true)
    expect(calls()).toBe(2)
  })

  it('tells a flooding address it is busy, unchecked and not remembered, while another address is checked', async () => {
    const releases: Array<() => void> = []
    let calls = 0
    const verify: VerifySecret = (secret, stored) => {
      calls++
      return new Promise((resolve) => releases.push(() => resolve(stored === fakeHash(secret))))
    }
    /** Finishes pending hash checks one at a time until `total` have been started and finished. */
    async function finishChecks(total: number): Promise<void> {
      while (releases.length > 0 || calls < total) {
        releases.shift()?.()
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    const queue = createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 1 })
    const auth = createTokenAuth(users, { verify, queue })
    const running = auth.authenticate('flood-1', SRC)
    const queued = auth.authenticate('flood-2', SRC)
    const refused = await auth.authenticate('bob-token', SRC)
    expect(refused).toEqual({ kind: 'busy', retryAfterMs: 1_000 }) // this address's queue is full: unchecked
    const manager = auth.authenticate('bob-token', '192.0.2.99') // another address still gets its turn
    expect(calls).toBe(1)
    await finishChecks(6) // two users each for flood-1, flood-2 and bob-token
    expect(nameOf(await running)).toBe('wrong')
    expect(nameOf(await queued)).toBe('wrong')
    expect(nameOf(await manager)).toBe('bob')
    // the busy answer was not remembered as wrong
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('bob')
  })

  it('backs off an address after repeated wrong tokens, growing, without checking, other addresses unaffected', async () => {
    const { verify, calls } = countingVerify()
    let nowMs = 0
    const auth = createTokenAuth(users, {
      verify,
      now: () => nowMs,
      backoff: { freeFailures: 2, baseMs: 1_000, maxMs: 4_000 },
    })
    expect(nameOf(await auth.authenticate('guess-1', SRC))).toBe('wrong')
    expect(nameOf(await auth.authenticate('guess-2', SRC))).toBe('wrong')
    expect(nameOf(await auth.authenticate('guess-3', SRC))).toBe('wrong') // third failure: 1 s window
    expect(calls()).toBe(6)
    expect(await auth.authenticate('bob-token', SRC)).toEqual({ kind: 'backoff', retryAfterMs: 1_000 })
    expect(calls()).toBe(6) // not checked, not even a right token from memory
    expect(nameOf(await auth.authenticate('bob-token', '192.0.2.7'))).toBe('bob')
    nowMs = 1_000
    expect(nameOf(await auth.authenticate('guess-4', SRC))).toBe('wrong') // window doubles: 2 s
    expect(await auth.authenticate('guess-5', SRC)).toEqual({ kind: 'backoff', retryAfterMs: 2_000 })
    nowMs = 3_000
    expect(nameOf(await auth.authenticate('bob-token', SRC))).toBe('bob') // a success resets the address
    expect(nameOf(await auth.authenticate('guess-6', SRC))).toBe('wrong')
    expect(nameOf(await auth.authenticate('guess-7', SRC))).toBe('wrong')
  })

  it('refuses empty and oversized tokens without hashing', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify })
    expect(nameOf(await auth.authenticate('', SRC))).toBe('wrong')
    expect(nameOf(await auth.authenticate('x'.repeat(513), SRC))).toBe('wrong')
    expect(calls()).toBe(0)
  })

  it('works with the real scrypt hashes of the config', async () => {
    const auth = createTokenAuth([{ name: 'carol', role: 'manager', tokenHash: hashSecret('carol-token') }])
    expect(nameOf(await auth.authenticate('carol-token', SRC))).toBe('carol')
    expect(nameOf(await auth.authenticate('carol-token ', SRC))).toBe('wrong')
  })
})

describe('roles and the Authorization header', () => {
  it('orders roles viewer < staff < maintenance < manager < admin', () => {
    expect(roleAtLeast('viewer', 'viewer')).toBe(true)
    expect(roleAtLeast('viewer', 'staff')).toBe(false)
    expect(roleAtLeast('staff', 'viewer')).toBe(true)
    expect(roleAtLeast('maintenance', 'staff')).toBe(true)
    expect(roleAtLeast('maintenance', 'manager')).toBe(false)
    expect(roleAtLeast('admin', 'manager')).toBe(true)
  })

  it('reads a bearer token, with the scheme in any case', () => {
    expect(parseBearer('Bearer abc.DEF-123_~+/=')).toBe('abc.DEF-123_~+/=')
    expect(parseBearer('bearer abc')).toBe('abc')
    expect(parseBearer(undefined)).toBeNull()
    expect(parseBearer('Basic YWxpY2U6cHc=')).toBeNull()
    expect(parseBearer('Bearer ')).toBeNull()
    expect(parseBearer('Bearer two tokens')).toBeNull()
  })
})
