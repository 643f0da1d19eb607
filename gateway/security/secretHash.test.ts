import { describe, expect, it } from 'vitest'
import { ApiUserSchema } from '../config/schema.js'
import { hashSecret, verifySecret } from './secretHash.js'

describe('secret hashes', () => {
  const secret = 'correct horse battery staple'
  const stored = hashSecret(secret)

  it('verifies the secret it was made from', async () => {
    await expect(verifySecret(secret, stored)).resolves.toBe(true)
  })

  it('refuses a wrong secret, an empty one and one that differs only in case', async () => {
    await expect(verifySecret('correct horse battery stapler', stored)).resolves.toBe(false)
    await expect(verifySecret('', stored)).resolves.toBe(false)
    await expect(verifySecret(secret.toUpperCase(), stored)).resolves.toBe(false)
  })

  it('salts each hash, so the same secret hashes differently but verifies against both', async () => {
    const again = hashSecret(secret)
    expect(again).not.toBe(stored)
    await expect(verifySecret(secret, again)).resolves.toBe(true)
  })

  it('produces a hash the config file accepts', () => {
    const pattern = ApiUserSchema.properties.tokenHash.pattern
    expect(pattern).toBeDefined()
    expect(stored).toMatch(new RegExp(pattern ?? ''))
    expect(stored).not.toContain(secret)
  })

  it('verifies secrets with non-ASCII characters', async () => {
    await expect(verifySecret('演示-密码', hashSecret('演示-密码'))).resolves.toBe(true)
  })

  it('refuses a tampered hash', async () => {
    const parts = stored.split('$')
    const hash = Buffer.from(parts[5] ?? '', 'base64')
    hash[0] = (hash[0] ?? 0) ^ 1
    const tampered = [...parts.slice(0, 5), hash.toString('base64')].join('$')
    await expect(verifySecret(secret, tampered)).resolves.toBe(false)
  })

  it('returns false, never throws, for a malformed stored hash', async () => {
    const [, , , , salt = '', hash = ''] = stored.split('$')
    const malformed = [
      '',
      secret, // a plain secret pasted where the hash belongs
      'scrypt',
      `scrypt$16384$8$1$${salt}`,
      `bcrypt$16384$8$1$${salt}$${hash}`,
      `scrypt$16384$8$1$${salt}$`,
      `scrypt$16384$8$1$${salt}$${hash}$extra`,
      `scrypt$abc$8$1$${salt}$${hash}`, // N not a number
      `scrypt$16383$8$1$${salt}$${hash}`, // N not a power of 2
      `scrypt$-1$8$1$${salt}$${hash}`,
      `scrypt$1073741824$8$1$${salt}$${hash}`, // would need more memory than allowed
      `scrypt$16384$8$1$${salt}$${hash.slice(0, 8)}`, // truncated: 6 of 32 bytes
      `scrypt$16384$8$1$${salt}$${Buffer.concat([Buffer.from(hash, 'base64'), Buffer.alloc(8)]).toString('base64')}`, // padded: 40 bytes
    ]
    // the right secret: a malformed hash must not let anyone in, whoever knows the secret
    for (const bad of malformed) {
      await expect(verifySecret(secret, bad), bad).resolves.toBe(false)
    }
  })
})
