import { describe, expect, it } from 'vitest'
import { hashSecret, verifySecret } from '../security/secretHash.js'
import { type CredentialVerifierOptions, createCredentialVerifier } from './credentialCache.js'

const hash = hashSecret('s3cret')
const pw = (s: string) => Buffer.from(s, 'utf8')

/** A verifier over real scrypt that counts how often scrypt actually runs. */
function counted(options: CredentialVerifierOptions = {}) {
  const calls = { n: 0 }
  const verifier = createCredentialVerifier({
    ...options,
    verifySecret: (secret, stored) => {
      calls.n++
      return verifySecret(secret, stored)
    },
  })
  return { verifier, calls }
}

describe('createCredentialVerifier', () => {
  it('accepts the right password and refuses a wrong or empty one', async () => {
    const v = createCredentialVerifier()
    expect(await v.verify('smoke-1', pw('s3cret'), hash)).toBe(true)
    expect(await v.verify('smoke-1', pw('wrong'), hash)).toBe(false)
    expect(await v.verify('smoke-1', pw(''), hash)).toBe(false)
  })

  it('answers a reconnect from memory instead of running scrypt again', async () => {
    const { verifier, calls } = counted()
    expect(await verifier.verify('smoke-1', pw('s3cret'), hash)).toBe(true)
    expect(await verifier.verify('smoke-1', pw('s3cret'), hash)).toBe(true)
    expect(calls.n).toBe(1)
  })

  it('re-verifies when the stored hash changes, so a rotated password takes effect', async () => {
    const { verifier, calls } = counted()
    expect(await verifier.verify('smoke-1', pw('s3cret'), hash)).toBe(true)
    expect(await verifier.verify('smoke-1', pw('s3cret'), hashSecret('rotated'))).toBe(false)
    expect(calls.n).toBe(2)
  })

  it('does not let a remembered good password vouch for another username or password', async () => {
    const { verifier } = counted()
    await verifier.verify('smoke-1', pw('s3cret'), hash)
    expect(await verifier.verify('smoke-1', pw('s3cret '), hash)).toBe(false)
    expect(await verifier.verify('heat-1', pw('wrong'), hash)).toBe(false)
  })

  it('remembers a wrong password only for failureTtlMs', async () => {
    let now = 0
    const { verifier, calls } = counted({ failureTtlMs: 1_000, now: () => now })
    expect(await verifier.verify('smoke-1', pw('wrong'), hash)).toBe(false)
    expect(await verifier.verify('smoke-1', pw('wrong'), hash)).toBe(false)
    expect(calls.n).toBe(1)
    now = 1_000
    expect(await verifier.verify('smoke-1', pw('wrong'), hash)).toBe(false)
    expect(calls.n).toBe(2)
  })

  it('shares one scrypt run between simultaneous connects with the same credentials', async () => {
    const { verifier, calls } = counted()
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify('smoke-1', pw('s3cret'), hash)))
    expect(results.every(Boolean)).toBe(true)
    expect(calls.n).toBe(1)
  })

  it('keeps at most maxEntries remembered answers', async () => {
    const { verifier, calls } = counted({ maxEntries: 1 })
    await verifier.verify('smoke-1', pw('s3cret'), hash)
    await verifier.verify('heat-1', pw('s3cret'), hash) // pushes smoke-1 out
    await verifier.verify('smoke-1', pw('s3cret'), hash)
    expect(calls.n).toBe(3)
  })
})
