import { describe, expect, it } from 'vitest'
import type { ApiUserConfig } from '../config/schema.js'
import { hashSecret } from '../security/secretHash.js'
import { createTokenAuth, parseBearer, roleAtLeast, type VerifySecret } from './tokenAuth.js'

// A stand-in hash so these tests count checks without paying scrypt; the
// API server test runs the real verifySecret.
const fakeHash = (token: string): string => `fake$${token}`
const users: ApiUserConfig[] = [
  { name: 'alice', role: 'viewer', tokenHash: fakeHash('alice-token') },
  { name: 'bob', role: 'staff', tokenHash: fakeHash('bob-token') },
]

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
    expect((await auth.authenticate('bob-token'))?.name).toBe('bob')
    const afterFirst = calls()
    expect(afterFirst).toBe(2) // alice's hash, then bob's
    expect((await auth.authenticate('bob-token'))?.name).toBe('bob')
    expect(calls()).toBe(afterFirst)
  })

  it('remembers a wrong token until the negative TTL runs out', async () => {
    const { verify, calls } = countingVerify()
    let nowMs = 1_000
    const auth = createTokenAuth(users, { verify, rejectedTtlMs: 5_000, now: () => nowMs })
    expect(await auth.authenticate('wrong')).toBeNull()
    expect(calls()).toBe(2)
    nowMs += 4_999
    expect(await auth.authenticate('wrong')).toBeNull()
    expect(calls()).toBe(2)
    nowMs += 1
    expect(await auth.authenticate('wrong')).toBeNull()
    expect(calls()).toBe(4)
  })

  it('keeps the caches bounded, forgetting the least recently used token first', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify, maxCachedTokens: 1, maxRejectedTokens: 1 })
    await auth.authenticate('alice-token') // 1 check
    await auth.authenticate('bob-token') // 2 checks, evicts alice
    await auth.authenticate('alice-token') // 1 check again
    expect(calls()).toBe(4)
    await auth.authenticate('wrong-1')
    await auth.authenticate('wrong-2') // evicts wrong-1
    await auth.authenticate('wrong-1')
    expect(calls()).toBe(4 + 6)
  })

  it('lets concurrent requests with the same token share one check', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify })
    const results = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate('bob-token')))
    expect(results.every((u) => u?.name === 'bob')).toBe(true)
    expect(calls()).toBe(2)
  })

  it('refuses new tokens unchecked once checks are saturated, and does not remember them as wrong', async () => {
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
    const auth = createTokenAuth(users, { verify, maxConcurrentChecks: 1, maxQueuedChecks: 1 })
    const running = auth.authenticate('flood-1')
    const queued = auth.authenticate('flood-2')
    expect(await auth.authenticate('bob-token')).toBeNull() // queue full
    expect(calls).toBe(1)
    await finishChecks(4) // two users each for flood-1 and flood-2
    expect(await running).toBeNull()
    expect(await queued).toBeNull()
    const later = auth.authenticate('bob-token')
    await finishChecks(6)
    expect((await later)?.name).toBe('bob')
  })

  it('refuses empty and oversized tokens without hashing', async () => {
    const { verify, calls } = countingVerify()
    const auth = createTokenAuth(users, { verify })
    expect(await auth.authenticate('')).toBeNull()
    expect(await auth.authenticate('x'.repeat(513))).toBeNull()
    expect(calls()).toBe(0)
  })

  it('works with the real scrypt hashes of the config', async () => {
    const auth = createTokenAuth([{ name: 'carol', role: 'manager', tokenHash: hashSecret('carol-token') }])
    expect((await auth.authenticate('carol-token'))?.name).toBe('carol')
    expect(await auth.authenticate('carol-token ')).toBeNull()
  })
})

describe('roles and the Authorization header', () => {
  it('orders roles viewer < staff < maintenance < manager < admin (SPEC §7)', () => {
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
