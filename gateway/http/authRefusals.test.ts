import { describe, expect, it } from 'vitest'
import { createMetrics } from '../metrics.js'
import { createApiServer } from './apiServer.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

/*
 * How the API answers a token it did not check: 429 with Retry-After and a
 * JSON error, never 401. A stand-in hash check keeps these free of scrypt.
 */

const fakeHash = (token: string) => `fake$${token}`
const users = [{ name: 'mia', role: 'manager' as const, tokenHash: fakeHash('mia-token') }]

function server(now: () => number) {
  const metrics = createMetrics()
  const app = createApiServer(
    quietApiDeps({
      users,
      metrics,
      now,
      tokenAuth: {
        verify: async (secret, stored) => stored === fakeHash(secret),
        backoff: { freeFailures: 1, baseMs: 2_000 },
      },
    }),
  )
  const call = (token: string, remoteAddress: string) =>
    app.inject({ method: 'GET', url: '/api/devices', headers: { authorization: `Bearer ${token}` }, remoteAddress })
  return { app, metrics, call }
}

describe('API sign-in back-off', () => {
  it('answers a backed-off address 429 with Retry-After, unchecked, and lets other addresses in', async () => {
    let nowMs = 1_000_000
    const { app, metrics, call } = server(() => nowMs)
    expect((await call('guess-1', '192.0.2.5')).statusCode).toBe(401)
    expect((await call('guess-2', '192.0.2.5')).statusCode).toBe(401)
    const held = await call('mia-token', '192.0.2.5')
    expect(held.statusCode).toBe(429)
    expect(held.headers['retry-after']).toBe('2')
    expect(held.json()).toEqual({
      error: { code: 'auth_backoff', message: 'too many failed sign-ins from this address; retry in 2 s' },
    })
    expect((await call('mia-token', '192.0.2.6')).statusCode).toBe(200)
    // both spellings of an IPv4 peer are one address
    expect((await call('mia-token', '::ffff:192.0.2.5')).statusCode).toBe(429)
    nowMs += 2_000
    expect((await call('mia-token', '192.0.2.5')).statusCode).toBe(200)
    const text = await metrics.registry.metrics()
    expect(text).toContain('storeguard_http_auth_rejected_total{reason="login_backoff"} 2')
    expect(text).toContain('storeguard_http_auth_rejected_total{reason="invalid_token"} 2')
    await app.close()
  })
})
