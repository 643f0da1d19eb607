import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { ApiUserSchema } from '../config/schema.js'
import { hashSecret, secretHashScheme, verifySecret } from './secretHash.js'

/** A hash StoreGuard made before PBKDF2 (scrypt N=16384, r=8, p=1): the demo simulator's `demo-simulator`. */
const OLD_SCRYPT_HASH = 'scrypt$16384$8$1$fK2gRMhyVLn1PyMmqlOUUw==$tkNT1TV+LsBee6IKZZ+sASPSR1hm6fmVVkw2D8dsZ3U='

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

  it("writes PBKDF2-SHA512 in mosquitto_passwd's format: no 16 MiB per check on a Pi", () => {
    expect(stored).toMatch(/^\$7\$50000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
    expect(secretHashScheme(stored)).toBe('pbkdf2-sha512')
    expect(secretHashScheme(OLD_SCRYPT_HASH)).toBe('scrypt')
    expect(secretHashScheme(secret)).toBeNull()
  })

  it("takes a hash written by Debian's mosquitto_passwd, and mosquitto's own iteration count", async () => {
    const dir = tempDir()
    try {
      const file = join(dir.path, 'passwd')
      execFileSync('mosquitto_passwd', ['-c', '-b', file, 'sensor-1', secret])
      const fromMosquitto = readFileSync(file, 'utf8').trim().split(':')[1] ?? ''
      expect(fromMosquitto).toMatch(/^\$7\$\d+\$/)
      expect(fromMosquitto).toMatch(new RegExp(ApiUserSchema.properties.tokenHash.pattern ?? ''))
      await expect(verifySecret(secret, fromMosquitto)).resolves.toBe(true)
      await expect(verifySecret(`${secret}!`, fromMosquitto)).resolves.toBe(false)
    } finally {
      dir.remove()
    }
  })

  it('still takes the scrypt hashes StoreGuard wrote before, so no config breaks', async () => {
    expect(OLD_SCRYPT_HASH).toMatch(new RegExp(ApiUserSchema.properties.tokenHash.pattern ?? ''))
    await expect(verifySecret('demo-simulator', OLD_SCRYPT_HASH)).resolves.toBe(true)
    await expect(verifySecret(secret, OLD_SCRYPT_HASH)).resolves.toBe(false)
  })

  it('refuses a tampered hash, of either scheme', async () => {
    for (const [good, plain] of [
      [stored, secret],
      [OLD_SCRYPT_HASH, 'demo-simulator'],
    ] as const) {
      const parts = good.split('$')
      const hash = Buffer.from(parts.at(-1) ?? '', 'base64')
      hash[0] = (hash[0] ?? 0) ^ 1
      const tampered = [...parts.slice(0, -1), hash.toString('base64')].join('$')
      await expect(verifySecret(plain, tampered), tampered).resolves.toBe(false)
    }
  })

  it('returns false, never throws, for a malformed PBKDF2 hash', async () => {
    const [, , , salt = '', hash = ''] = stored.split('$')
    const malformed = [
      `$7$50000$${salt}`,
      `$7$50000$${salt}$`,
      `$7$50000$${salt}$${hash}$extra`,
      `$6$50000$${salt}$${hash}`, // mosquitto 1.6's single SHA-512 round: not accepted
      `$7$abc$${salt}$${hash}`,
      `$7$0$${salt}$${hash}`,
      `$7$-1$${salt}$${hash}`,
      `$7$100000000$${salt}$${hash}`, // would take minutes
      `$7$50000$${salt}$${hash.slice(0, 8)}`, // truncated
      `7$50000$${salt}$${hash}`,
    ]
    for (const bad of malformed) {
      await expect(verifySecret(secret, bad), bad).resolves.toBe(false)
    }
  })

  it('returns false, never throws, for a malformed scrypt hash', async () => {
    const [, , , , salt = '', hash = ''] = OLD_SCRYPT_HASH.split('$')
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
      await expect(verifySecret('demo-simulator', bad), bad).resolves.toBe(false)
    }
  })
})
