import { createHash } from 'node:crypto'
import { type FairCheckQueue, sharedCheckQueue } from '../security/fairCheckQueue.js'
import { verifySecret } from '../security/secretHash.js'

/**
 * A password check costs tens of ms by design (PBKDF2; an older scrypt hash also 16 MiB). A store full of
 * sensors reconnecting after a Wi-Fi blip, or one device looping with a wrong
 * password, must not queue hundreds of them on libuv's 4 threads ahead of an
 * alarm. So an answer is remembered per (username, sha256(password), stored
 * hash): a changed config hash or a different password always re-verifies,
 * and the plain password is never kept. A check that must run waits its turn
 * in the fair queue under the connecting address, so one address's flood
 * cannot keep a device at another address from being checked.
 */
export interface CredentialVerifier {
  /**
   * Does `password` match `passwordHash` (the principal's hash), for a CONNECT from
   * `source` (its address)? `busy` when that address has too many checks waiting: not checked.
   * Never throws.
   */
  verify(source: string, username: string, password: Buffer, passwordHash: string): Promise<CredentialCheck>
}

export type CredentialCheck = 'ok' | 'wrong' | 'busy'

export interface CredentialVerifierOptions {
  /** Remembered answers of each kind (good, bad); default 1 024. */
  readonly maxEntries?: number
  /** How long a wrong password is answered from memory, ms; default 60 000. */
  readonly failureTtlMs?: number
  /** Epoch ms; injectable for tests. */
  readonly now?: () => number
  /** The slow check being cached; default `verifySecret`. Tests count its calls. */
  readonly verifySecret?: (secret: string, stored: string) => Promise<boolean>
  /** The scheduler of slow checks; default the process's shared one. */
  readonly queue?: FairCheckQueue
}

export function createCredentialVerifier(options: CredentialVerifierOptions = {}): CredentialVerifier {
  const maxEntries = options.maxEntries ?? 1024
  const failureTtlMs = options.failureTtlMs ?? 60_000
  const now = options.now ?? Date.now
  const slowVerify = options.verifySecret ?? verifySecret
  const queue = options.queue ?? sharedCheckQueue()
  // key → epoch ms the answer expires; a correct password stays correct until the hash changes
  const good = new Map<string, number>()
  const bad = new Map<string, number>()
  const inFlight = new Map<string, Promise<CredentialCheck>>()

  const remember = (map: Map<string, number>, key: string, untilMs: number) => {
    map.delete(key)
    map.set(key, untilMs)
    // Map iterates oldest first: forget the oldest answer past the bound
    for (const k of map.keys()) {
      if (map.size <= maxEntries) break
      map.delete(k)
    }
  }
  const recall = (map: Map<string, number>, key: string) => now() < (map.get(key) ?? Number.NEGATIVE_INFINITY)

  return {
    async verify(source, username, password, passwordHash) {
      const key = `${username}\u0000${createHash('sha256').update(password).digest('base64')}\u0000${passwordHash}`
      if (recall(good, key)) return 'ok'
      if (recall(bad, key)) return 'wrong'
      // a reconnect storm of one device shares one hash run
      let pending = inFlight.get(key)
      if (pending === undefined) {
        const secret = password.toString('utf8')
        pending = queue
          .run(source, () => slowVerify(secret, passwordHash))
          .then((outcome): CredentialCheck => {
            // busy is not remembered: the password is not known to be wrong
            if (outcome.kind === 'busy') return 'busy'
            if (outcome.value) remember(good, key, Number.POSITIVE_INFINITY)
            else remember(bad, key, now() + failureTtlMs)
            return outcome.value ? 'ok' : 'wrong'
          })
          // settled either way, the next CONNECT with these credentials looks again
          .finally(() => inFlight.delete(key))
        inFlight.set(key, pending)
      }
      return pending
    },
  }
}
