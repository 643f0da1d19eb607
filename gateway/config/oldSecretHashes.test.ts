import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { hashSecret } from '../security/secretHash.js'
import { loadConfig, parseConfig } from './loadConfig.js'
import { oldSecretHashes } from './oldSecretHashes.js'

const SCRYPT = 'scrypt$16384$8$1$fK2gRMhyVLn1PyMmqlOUUw==$tkNT1TV+LsBee6IKZZ+sASPSR1hm6fmVVkw2D8dsZ3U='

describe('secrets still hashed with an older StoreGuard’s scrypt (gateway/security/secretHash.ts)', () => {
  it('names each setting that holds one, and none that holds a new hash', () => {
    const fresh = hashSecret('x')
    const config = parseConfig(
      `store:\n  id: shop-12\nbroker:\n  clients:\n` +
        `    - { username: z2m, passwordHash: ${fresh} }\n` +
        `    - { username: ha, passwordHash: ${SCRYPT} }\n` +
        `devices:\n  - { id: leak-1, type: leak, zone: hall, mqtt: { topic: tele/leak-1, passwordHash: ${SCRYPT} } }\n` +
        `  - { id: leak-2, type: leak, zone: hall }\n` +
        `api:\n  users:\n    - { name: vera, role: viewer, tokenHash: ${fresh} }\n` +
        `    - { name: mo, role: manager, tokenHash: ${SCRYPT} }\n`,
      'store.yaml',
      {},
    )
    expect(oldSecretHashes(config)).toEqual([
      'broker.clients[1].passwordHash',
      'devices[0].mqtt.passwordHash',
      'api.users[1].tokenHash',
    ])
  })

  it('names nothing in the shipped demo: it starts with no note to act on', () => {
    const demo = loadConfig(fileURLToPath(new URL('../../deploy/demo.yaml', import.meta.url)), {})
    expect(demo.api.users.length).toBeGreaterThan(0)
    expect(oldSecretHashes(demo)).toEqual([])
  })
})
