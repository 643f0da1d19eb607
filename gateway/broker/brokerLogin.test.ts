import type { AuthenticateError, Client } from 'aedes'
import { describe, expect, it } from 'vitest'
import type { BrokerConfig } from '../config/schema.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { createFairCheckQueue, type FairCheckQueue } from '../security/fairCheckQueue.js'
import { createBrokerAcl } from './brokerAcl.js'
import { createBrokerHooks } from './brokerHooks.js'
import { testBrokerConfig } from './testing/brokerConfig.js'
import { unknownUserHash } from './unknownUserHash.js'

/*
 * The login half of the broker hooks, driven directly: fake clients that
 * carry only an id and a peer address, and a stand-in hash check that counts
 * its calls and can be held, so work is counted rather than timed.
 */

const fakeHash = (secret: string) => `fake$${secret}`
const config: BrokerConfig = testBrokerConfig({
  maxPayloadBytes: 1024,
  clients: [{ username: 'console', passwordHash: fakeHash('console-pw'), publish: [], subscribe: ['#'] }],
})

interface Login {
  readonly ok: boolean
  readonly code: number | undefined
}

function harness(options: { queue?: FairCheckQueue; hold?: boolean } = {}) {
  let nowMs = 1_700_000_000_000
  const metrics = createMetrics()
  const checked: string[] = []
  const releases: Array<() => void> = []
  const hooks = createBrokerHooks({
    acl: createBrokerAcl({ topicPrefix: 'storeguard/s', broker: config, devices: [] }),
    allowAnonymous: false,
    maxPayloadBytes: 1024,
    forbiddenBackoffSec: 30,
    maxInflight: config.maxInflight,
    retainedPerClient: config.retainedPerClient,
    log: createLogger('silent'),
    metrics,
    now: () => nowMs,
    queue: options.queue ?? createFairCheckQueue(),
    loginBackoff: { freeFailures: 3, baseMs: 1_000, maxMs: 60_000 },
    verifySecret: (secret, stored) => {
      checked.push(stored)
      const answer = stored === fakeHash(secret)
      if (!options.hold) return Promise.resolve(answer)
      return new Promise((resolve) => releases.push(() => resolve(answer)))
    },
  })
  let n = 0
  const login = (ip: string, username: string, password: string): Promise<Login> => {
    const client = { id: `c${n++}`, conn: { remoteAddress: ip } } as unknown as Client
    return new Promise((resolve) =>
      hooks.authenticate(client, username, Buffer.from(password), (err: AuthenticateError | null, ok: boolean | null) =>
        resolve({ ok: ok === true, code: err?.returnCode }),
      ),
    )
  }
  const refused = async (reason: string) =>
    (await metrics.brokerRefused.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0
  const slowChecks = async () =>
    (await metrics.registry.getSingleMetricAsString('storeguard_secret_checks_total')).match(
      /protocol="mqtt"} (\d+)/,
    )?.[1]
  return {
    login,
    checked,
    releases,
    refused,
    slowChecks,
    advance: (ms: number) => {
      nowMs += ms
    },
  }
}

const settled = () => new Promise((resolve) => setImmediate(resolve))

describe('broker login', () => {
  it('lets the right password in', async () => {
    const h = harness()
    expect(await h.login('192.0.2.1', 'console', 'console-pw')).toEqual({ ok: true, code: undefined })
  })

  it('gives an unknown username the same slow check and the same CONNACK as a wrong password', async () => {
    const h = harness()
    const unknown = await h.login('192.0.2.1', 'nobody', 'guess')
    const known = await h.login('192.0.2.2', 'console', 'guess')
    expect(unknown).toEqual(known)
    expect(known).toEqual({ ok: false, code: 5 })
    // one scrypt-grade check each: the unknown one against the dummy hash
    expect(h.checked).toEqual([unknownUserHash(), fakeHash('console-pw')])
    expect(await h.slowChecks()).toBe('2')
    expect(await h.refused('bad_credentials')).toBe(2)
    // and a repeat of either is answered from the same bad-answer cache, with no check
    await h.login('192.0.2.1', 'nobody', 'guess')
    await h.login('192.0.2.2', 'console', 'guess')
    expect(h.checked).toHaveLength(2)
  })

  it('backs off an address after repeated failures, answering CONNACK 5 without a check, others unaffected', async () => {
    const h = harness()
    for (let i = 0; i < 4; i++) expect((await h.login('192.0.2.9', 'console', `guess-${i}`)).code).toBe(5)
    expect(h.checked).toHaveLength(4)
    // the fourth failure opened a 1 s window: even the right password is not checked from there
    expect(await h.login('192.0.2.9', 'console', 'console-pw')).toEqual({ ok: false, code: 5 })
    expect(h.checked).toHaveLength(4)
    expect(await h.refused('login_backoff')).toBe(1)
    expect(await h.refused('bad_credentials')).toBe(4)
    expect((await h.login('192.0.2.10', 'console', 'console-pw')).ok).toBe(true)
    h.advance(1_000)
    expect((await h.login('192.0.2.9', 'console', 'console-pw')).ok).toBe(true)
  })

  it('tells a flooding address CONNACK 3 "server unavailable", unchecked, while a device elsewhere gets in', async () => {
    const h = harness({ queue: createFairCheckQueue({ maxConcurrent: 1, maxQueuedPerSource: 2 }), hold: true })
    const flood = [0, 1, 2].map((i) => h.login('192.0.2.66', 'console', `flood-${i}`))
    const busy = await h.login('192.0.2.66', 'console', 'flood-3')
    expect(busy).toEqual({ ok: false, code: 3 })
    expect(await h.refused('busy')).toBe(1)
    const device = h.login('192.0.2.1', 'console', 'console-pw')
    while (h.checked.length < 4 || h.releases.length > 0) {
      h.releases.shift()?.()
      await settled()
    }
    expect(await device).toEqual({ ok: true, code: undefined })
    expect((await Promise.all(flood)).map((l) => l.code)).toEqual([5, 5, 5])
  })
})
