import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { Alarm, AlarmKind } from '../core/alarm.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmCommands, DeviceDirectory, DeviceStatus, HealthReport } from '../core/ports.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { verifySecret } from '../security/secretHash.js'
import { createApiServer } from './apiServer.js'
import { listen } from './listen.js'

function alarm(id: string, kind: AlarmKind): Alarm {
  const at = '2025-01-01T08:00:00.000Z'
  return sampleAlarm({
    id,
    key: `${kind}:dev-1`,
    kind,
    silent: kind === 'robbery',
    deviceId: 'dev-1',
    zone: 'sales_floor',
    message: kind,
    messages: { 'zh-CN': kind, en: kind },
    checklist: { 'zh-CN': [], en: [] },
    raisedAt: at,
    updatedAt: at,
    resetRole: kind === 'robbery' ? 'manager' : 'staff',
    resetNoteRequired: kind === 'robbery',
    shelvable: kind !== 'fire' && kind !== 'robbery',
  })
}

/** Our own port, faked: records who did what; `still-burning` refuses a reset. */
class FakeAlarms implements AlarmCommands {
  readonly alarms = new Map<string, Alarm>([
    ['fire-1', alarm('fire-1', 'fire')],
    ['still-burning', alarm('still-burning', 'fire')],
    ['robbery-1', alarm('robbery-1', 'robbery')],
  ])
  readonly calls: Array<{ op: 'ack' | 'reset'; id: string; by: string; note: string | null }> = []
  failWith: Error | null = null

  list(): readonly Alarm[] {
    return [...this.alarms.values()]
  }
  ack(id: string, by: string, note: string | null): Alarm {
    this.calls.push({ op: 'ack', id, by, note })
    return { ...this.find(id), state: 'active_acked', ackedBy: by, note }
  }
  reset(id: string, by: string, note: string | null): Alarm {
    this.calls.push({ op: 'reset', id, by, note })
    const current = this.find(id)
    if (id === 'still-burning') throw new StoreGuardError('condition_still_active', 'the fire is still detected')
    return { ...current, state: 'closed', resetBy: by, note }
  }
  shelve(id: string, by: string, untilMs: number, reason: string): Alarm {
    const current = this.find(id)
    if (!current.shelvable) throw new StoreGuardError('shelve_not_allowed', `${current.kind} may not be shelved`)
    return { ...current, shelvedUntil: new Date(untilMs).toISOString(), shelvedBy: by, shelveReason: reason }
  }
  history(): [] {
    return []
  }
  get(id: string): Alarm | undefined {
    return this.alarms.get(id)
  }
  private find(id: string): Alarm {
    if (this.failWith) throw this.failWith
    const found = this.alarms.get(id)
    if (!found) throw new StoreGuardError('alarm_not_found', `no alarm ${id}`)
    return found
  }
}

const device: DeviceStatus = {
  id: 'smoke-1',
  type: 'smoke',
  zone: 'sales_floor',
  name: null,
  lastSeen: null,
  values: {},
  transport: 'mqtt',
  status: 'ok',
  faults: [],
}
const devices: DeviceDirectory = { list: () => [device] }

const { tokens, users } = apiTestUsers()

describe('HTTP API on a listening server', () => {
  const logged: string[] = []
  const alarms = new FakeAlarms()
  let healthStatus: HealthReport['status'] = 'ok'
  let scryptChecks = 0
  let app: FastifyInstance
  let base: string

  beforeAll(async () => {
    app = createApiServer({
      users,
      alarms,
      devices,
      notices: { list: () => [] },
      health: () => ({ status: healthStatus, store: 'sh-001', uptimeSec: 12, broker: 'up', openAlarms: 3 }),
      metrics: createMetrics(),
      log: createLogger('trace', { write: (line: string) => void logged.push(line) }),
      resetRoleFor: (id) => (alarms.alarms.get(id)?.kind === 'robbery' ? 'manager' : 'staff'),
      tokenAuth: {
        verify: async (secret, stored) => {
          scryptChecks++
          return verifySecret(secret, stored)
        },
      },
    })
    base = (await listen(app, '127.0.0.1', 0)).url
  })
  afterAll(async () => {
    await app.close()
  })

  function call(method: string, path: string, bearer?: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {}
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    return fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  }

  async function errorCode(res: Response): Promise<string> {
    return ((await res.json()) as { error: { code: string } }).error.code
  }

  it('turns away a request without a token with 401 and a Bearer challenge', async () => {
    const res = await call('GET', '/api/alarms')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(await errorCode(res)).toBe('unauthorized')
  })

  it('turns away a wrong token with 401', async () => {
    const res = await call('GET', '/api/alarms', 'not-a-real-token')
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('invalid_token')
    expect(await errorCode(res)).toBe('unauthorized')
  })

  it('lets a viewer list alarms and devices but not acknowledge; a silent alarm is listed from manager up', async () => {
    const list = await call('GET', '/api/alarms', tokens.viewer)
    expect(list.status).toBe(200)
    const { alarms: listed } = (await list.json()) as { alarms: Alarm[] }
    expect(listed.map((a) => a.id)).toEqual(['fire-1', 'still-burning'])
    const managerList = (await (await call('GET', '/api/alarms', tokens.manager)).json()) as { alarms: Alarm[] }
    expect(managerList.alarms.map((a) => a.id)).toEqual(['fire-1', 'still-burning', 'robbery-1'])

    const devs = await call('GET', '/api/devices', tokens.viewer)
    expect(await devs.json()).toEqual({ devices: [device] })

    const ack = await call('POST', '/api/alarms/fire-1/ack', tokens.viewer)
    expect(ack.status).toBe(403)
    expect(await errorCode(ack)).toBe('forbidden')
    expect(alarms.calls).toEqual([])
  })

  it('lets staff acknowledge, recording their name and note', async () => {
    const res = await call('POST', '/api/alarms/fire-1/ack', tokens.staff, { note: 'checked the stockroom' })
    expect(res.status).toBe(200)
    const { alarm: acked } = (await res.json()) as { alarm: Alarm }
    expect(acked.state).toBe('active_acked')
    expect(alarms.calls.at(-1)).toEqual({ op: 'ack', id: 'fire-1', by: 'bob', note: 'checked the stockroom' })
  })

  it('takes an acknowledgement without a body, or with an empty JSON body', async () => {
    expect((await call('POST', '/api/alarms/fire-1/ack', tokens.staff)).status).toBe(200)
    const empty = await fetch(`${base}/api/alarms/fire-1/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'application/json' },
    })
    expect(empty.status).toBe(200)
    expect(alarms.calls.at(-1)).toEqual({ op: 'ack', id: 'fire-1', by: 'bob', note: null })
  })

  it('answers 400 to a note that is too long, not a string, or has extra fields', async () => {
    for (const body of [{ note: 'x'.repeat(501) }, { note: 42 }, { note: 'ok', by: 'someone-else' }, 'just text']) {
      const res = await call('POST', '/api/alarms/fire-1/ack', tokens.staff, body)
      expect(res.status).toBe(400)
      expect(await errorCode(res)).toBe('bad_request')
    }
    const plain = await fetch(`${base}/api/alarms/fire-1/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'text/plain' },
      body: 'hello',
    })
    expect(plain.status).toBe(415)
  })

  it('refuses a body over 16 KiB with 413', async () => {
    const res = await call('POST', '/api/alarms/fire-1/ack', tokens.staff, { note: 'x'.repeat(17 * 1024) })
    expect(res.status).toBe(413)
    expect(await errorCode(res)).toBe('payload_too_large')
  })

  it('answers 404 alarm_not_found for an unknown alarm', async () => {
    const res = await call('POST', '/api/alarms/nope/ack', tokens.staff)
    expect(res.status).toBe(404)
    expect(await errorCode(res)).toBe('alarm_not_found')
  })

  it('answers 409 condition_still_active when the condition has not cleared', async () => {
    const res = await call('POST', '/api/alarms/still-burning/reset', tokens.staff, { note: 'tried' })
    expect(res.status).toBe(409)
    expect(await errorCode(res)).toBe('condition_still_active')
  })

  it('lets staff reset a fire alarm; to staff a robbery alarm does not exist, a manager resets it', async () => {
    const fire = await call('POST', '/api/alarms/fire-1/reset', tokens.staff)
    expect(fire.status).toBe(200)
    expect(((await fire.json()) as { alarm: Alarm }).alarm.resetBy).toBe('bob')

    const byStaff = await call('POST', '/api/alarms/robbery-1/reset', tokens.staff, { note: 'false alarm' })
    expect(byStaff.status).toBe(404)
    expect(await errorCode(byStaff)).toBe('alarm_not_found')
    expect(alarms.calls.some((c) => c.op === 'reset' && c.id === 'robbery-1')).toBe(false)

    const byManager = await call('POST', '/api/alarms/robbery-1/reset', tokens.manager, { note: 'police left' })
    expect(byManager.status).toBe(200)
    expect(alarms.calls.at(-1)).toEqual({ op: 'reset', id: 'robbery-1', by: 'carol', note: 'police left' })
  })

  it('answers 500 internal with no detail when the core fails unexpectedly, and logs it', async () => {
    alarms.failWith = new Error('disk on fire')
    try {
      const res = await call('POST', '/api/alarms/fire-1/ack', tokens.staff)
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error' } })
    } finally {
      alarms.failWith = null
    }
    expect(logged.some((line) => line.includes('disk on fire'))).toBe(true)
  })

  it('serves Prometheus metrics to a viewer only', async () => {
    expect((await call('GET', '/metrics')).status).toBe(401)
    const res = await call('GET', '/metrics', tokens.viewer)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('storeguard_open_alarms')
    expect(text).toMatch(/storeguard_http_auth_rejected_total\{reason="invalid_token"\} [1-9]/)
  })

  it('counts every refused request by status and error code, and not a degraded health report', async () => {
    const scrape = async () => (await call('GET', '/metrics', tokens.viewer)).text()
    const count = (text: string, status: number, code: string) =>
      Number(
        new RegExp(`storeguard_http_refused_total\\{status="${status}",code="${code}"\\} (\\d+)`).exec(text)?.[1] ?? 0,
      )
    const before = await scrape()
    expect((await call('GET', '/api/nothing-here', tokens.viewer)).status).toBe(404)
    expect((await call('GET', '/api/nothing-here', tokens.viewer)).status).toBe(404)
    expect((await call('POST', '/api/alarms/fire-1/ack', tokens.staff, { note: 7 })).status).toBe(400)
    expect((await call('GET', '/api/alarms', 'wrong-token')).status).toBe(401)
    const text = await fetch(`${base}/api/alarms/fire-1/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.staff}`, 'content-type': 'text/plain' },
      body: 'ack',
    })
    expect(text.status).toBe(415)
    healthStatus = 'degraded'
    try {
      expect((await call('GET', '/healthz')).status).toBe(503)
    } finally {
      healthStatus = 'ok'
    }
    const after = await scrape()
    expect(count(after, 404, 'not_found') - count(before, 404, 'not_found')).toBe(2)
    expect(count(after, 400, 'bad_request') - count(before, 400, 'bad_request')).toBe(1)
    expect(count(after, 401, 'unauthorized') - count(before, 401, 'unauthorized')).toBe(1)
    expect(count(after, 415, 'unsupported_media_type') - count(before, 415, 'unsupported_media_type')).toBe(1)
    expect(after).not.toMatch(/storeguard_http_refused_total\{status="503"/)
  })

  it('reports health without a token: 200 when ok, 503 when degraded', async () => {
    const ok = await call('GET', '/healthz')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'ok', store: 'sh-001' })
    healthStatus = 'degraded'
    try {
      const degraded = await call('GET', '/healthz')
      expect(degraded.status).toBe(503)
      expect(await degraded.json()).toMatchObject({ status: 'degraded' })
    } finally {
      healthStatus = 'ok'
    }
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await call('GET', '/api/nothing-here', tokens.viewer)
    expect(res.status).toBe(404)
    expect(await errorCode(res)).toBe('not_found')
  })

  it('checks a token with scrypt once, then answers from the cache, also for wrong tokens', async () => {
    const before = scryptChecks
    expect((await call('GET', '/api/alarms', tokens.maintenance)).status).toBe(200)
    const afterFirst = scryptChecks
    expect(afterFirst).toBeGreaterThan(before)
    expect((await call('GET', '/api/alarms', tokens.maintenance)).status).toBe(200)
    expect(scryptChecks).toBe(afterFirst)

    const wrong = `wrong-${randomBytes(8).toString('hex')}`
    expect((await call('GET', '/api/alarms', wrong)).status).toBe(401)
    const afterWrong = scryptChecks
    expect(afterWrong).toBe(afterFirst + users.length)
    expect((await call('GET', '/api/alarms', wrong)).status).toBe(401)
    expect(scryptChecks).toBe(afterWrong)
  })

  it('never writes a token to the log (secrets never reach a log)', () => {
    const output = logged.join('')
    expect(output).toContain('request done') // the capture works and saw the requests
    for (const secret of [...Object.values(tokens), 'not-a-real-token']) expect(output).not.toContain(secret)
    expect(output.toLowerCase()).not.toContain('bearer ')
  })
})
