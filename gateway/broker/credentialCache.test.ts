import { describe, expect, it } from 'vitest'
import { createFairCheckQueue } from '../security/fairCheckQueue.js'
import { hashSecret, verifySecret } from '../security/secretHash.js'
import { type CredentialVerifierOptions, createCredentialVerifier } from './credentialCache.js'

const hash = hashSecret('s3cret')
const pw = (s: string) => Buffer.from(s, 'utf8')
const SRC = '192.0.2.1'

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
    expect(await v.verify(SRC, 'smoke-1', pw('s3cret'), hash)).toBe('ok')
    expect(await v.verify(SRC, 'smoke-1', pw('wrong'), hash)).toBe('wrong')
    expect(await v.verify(SRC, 'smoke-1', pw(''), hash)).toBe('wrong')
  })

  it('answers a reconnect from memory instead of running scrypt again', async () => {
    const { verifier, calls } = counted()
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)).toBe('ok')
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)).toBe('ok')
    expect(calls.n).toBe(1)
  })

  it('re-verifies when the stored hash changes, so a rotated password takes effect', async () => {
    const { verifier, calls } = counted()
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)).toBe('ok')
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hashSecret('rotated'))).toBe('wrong')
    expect(calls.n).toBe(2)
  })

  it('does not let a remembered good password vouch for another username or password', async () => {
    const { verifier } = counted()
    await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret '), hash)).toBe('wrong')
    expect(await verifier.verify(SRC, 'heat-1', pw('wrong'), hash)).toBe('wrong')
  })

  it('remembers a wrong password only for failureTtlMs', async () => {
    let now = 0
    const { verifier, calls } = counted({ failureTtlMs: 1_000, now: () => now })
    expect(await verifier.verify(SRC, 'smoke-1', pw('wrong'), hash)).toBe('wrong')
    expect(await verifier.verify(SRC, 'smoke-1', pw('wrong'), hash)).toBe('wrong')
    expect(calls.n).toBe(1)
    now = 1_000
    expect(await verifier.verify(SRC, 'smoke-1', pw('wrong'), hash)).toBe('wrong')
    expect(calls.n).toBe(2)
  })

  it('shares one scrypt run between simultaneous connects with the same credentials', async () => {
    const { verifier, calls } = counted()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)),
    )
    expect(results.every((r) => r === 'ok')).toBe(true)
    expect(calls.n).toBe(1)
  })

  it('keeps at most maxEntries remembered answers', async () => {
    const { verifier, calls } = counted({ maxEntries: 1 })
    await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)
    await verifier.verify(SRC, 'heat-1', pw('s3cret'), hash) // pushes smoke-1 out
    await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)
    expect(calls.n).toBe(3)
  })

  it('answers busy, unchecked and not remembered, when the address has too many checks waiting', async () => {
    const releases: Array<() => void> = []
    let calls = 0
    const verifier = createCredentialVerifier({
      queue: createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 1 }),
      verifySecret: (secret) => {
        calls++
        return new Promise((resolve) => releases.push(() => resolve(secret === 's3cret')))
      },
    })
    const running = verifier.verify(SRC, 'smoke-1', pw('guess-1'), hash)
    const queued = verifier.verify(SRC, 'smoke-1', pw('guess-2'), hash)
    expect(await verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)).toBe('busy')
    // another address is not busy: it waits its turn
    const device = verifier.verify('192.0.2.2', 'heat-1', pw('s3cret'), hash)
    while (calls < 3 || releases.length > 0) {
      releases.shift()?.()
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect([await running, await queued, await device]).toEqual(['wrong', 'wrong', 'ok'])
    // the busy answer was not remembered as wrong
    const again = verifier.verify(SRC, 'smoke-1', pw('s3cret'), hash)
    await new Promise((resolve) => setImmediate(resolve))
    releases.shift()?.()
    expect(await again).toBe('ok')
  })
})
