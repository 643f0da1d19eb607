import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { Alarm } from '../core/alarm.js'
import { StoreGuardError } from '../core/errors.js'
import type { AlarmCommands, DeviceStatus, JournalEntry } from '../core/ports.js'
import type { Role } from '../core/roles.js'
import { hashSecret } from '../security/secretHash.js'
import { createApiServer } from './apiServer.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

const AT = '2025-01-01T08:00:00.000Z'
const robbery = sampleAlarm({
  id: 'robbery-m5x2-1a2b3c',
  key: 'robbery:panic-1',
  kind: 'robbery',
  silent: true,
  resetRole: 'manager',
  resetNoteRequired: true,
  shelvable: false,
  raisedAt: AT,
  updatedAt: AT,
})
/** A robbery that was reset last week: closed, so it lives only in the journal. */
const pastRobbery = { ...robbery, id: 'robbery-m4aa-9f8e7d', state: 'closed' as const }
const fire = sampleAlarm({ id: 'fire-m5x2-4d5e6f', key: 'fire:smoke-1', raisedAt: AT, updatedAt: AT })
/** Same length and shape as a real id, so not even its length differs. */
const MADE_UP = 'robbery-m5x2-000000'

/** The alarm service, faked: it holds the alarms and records every command that reaches it. */
class RecordingAlarms implements AlarmCommands {
  readonly open = new Map<string, Alarm>([
    [robbery.id, robbery],
    [fire.id, fire],
  ])
  readonly journal = new Map<string, JournalEntry[]>([
    [robbery.id, [{ seq: 1, alarmId: robbery.id, action: 'raised', by: 'rules', at: AT, alarm: robbery }]],
    [pastRobbery.id, [{ seq: 2, alarmId: pastRobbery.id, action: 'reset', by: 'mona', at: AT, alarm: pastRobbery }]],
    [fire.id, [{ seq: 3, alarmId: fire.id, action: 'raised', by: 'rules', at: AT, alarm: fire }]],
  ])
  readonly calls: string[] = []

  list = () => [...this.open.values()]
  get = (id: string) => this.open.get(id)
  history = (id: string) => this.journal.get(id) ?? []
  ack(id: string, by: string): Alarm {
    this.calls.push(`ack ${id} by ${by}`)
    return { ...this.find(id), state: 'active_acked', ackedBy: by }
  }
  reset(id: string, by: string, note: string | null): Alarm {
    this.calls.push(`reset ${id} by ${by}`)
    const alarm = this.find(id)
    if (alarm.resetNoteRequired && note === null) throw new StoreGuardError('note_required', 'a note is required')
    return { ...alarm, state: 'closed', resetBy: by, note }
  }
  shelve(id: string, by: string): Alarm {
    this.calls.push(`shelve ${id} by ${by}`)
    const alarm = this.find(id)
    if (!alarm.shelvable) throw new StoreGuardError('shelve_not_allowed', `${alarm.kind} may not be shelved`)
    return alarm
  }
  private find(id: string): Alarm {
    const alarm = this.open.get(id)
    if (!alarm) throw new StoreGuardError('alarm_not_found', `no open alarm ${id}`)
    return alarm
  }
}

/** A tampered panic button, just pressed: its values, last-seen time and fault all tell of the robbery. */
const panicButton: DeviceStatus = {
  id: 'panic-1',
  type: 'panic_button',
  zone: 'counter',
  name: 'Counter panic button',
  lastSeen: AT,
  values: { pressed: { value: true, at: AT } },
  transport: 'gpio',
  status: 'fault',
  faults: [{ reason: 'tamper', since: AT, message: 'Panic button tampered', silent: true }],
}

const { tokens, users } = apiTestUsers()
const adminToken = 'admin-token-for-the-silent-matrix'
const TOKENS: Record<Role, string> = { ...tokens, admin: adminToken }
const BELOW_MANAGER = ['viewer', 'staff', 'maintenance'] as const

/**
 * Each way to reach an alarm by id, with the bodies a client might send —
 * good ones and the ones a route would refuse (400, 413, 415) if it got that far.
 */
function requests(id: string): Array<{ name: string } & InjectOptions> {
  const json = (method: 'GET' | 'POST' | 'HEAD', path: string, body?: unknown) => ({
    name: `${method} ${path.replace(id, ':id')}${body === undefined ? '' : ` ${JSON.stringify(body).slice(0, 40)}`}`,
    method,
    url: path,
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  })
  const base = `/api/alarms/${encodeURIComponent(id)}`
  return [
    json('POST', `${base}/ack`),
    json('POST', `${base}/ack`, { note: 'seen it' }),
    json('POST', `${base}/ack`, { note: 42 }),
    json('POST', `${base}/ack`, { note: 'x'.repeat(17 * 1024) }),
    json('POST', `${base}/reset`),
    json('POST', `${base}/reset`, { note: 'police left' }),
    json('POST', `${base}/reset`, { by: 'someone' }),
    json('POST', `${base}/shelve`, { durationSec: 60, reason: 'maintenance' }),
    json('POST', `${base}/shelve`, { durationSec: -1 }),
    json('POST', `${base}/shelve`),
    json('GET', `${base}/history`),
    json('HEAD', `${base}/history`),
    json('GET', `${base}/probe`),
    {
      name: 'POST /api/alarms/:id/ack as text/plain',
      method: 'POST',
      url: `${base}/ack`,
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    },
    {
      name: 'POST /api/alarms/:id/ack with broken JSON',
      method: 'POST',
      url: `${base}/ack`,
      headers: { 'content-type': 'application/json' },
      payload: '{"note":',
    },
  ]
}

describe('a silent alarm does not exist for roles below manager, on every route that takes an alarm id', () => {
  const alarms = new RecordingAlarms()
  let app: FastifyInstance

  beforeAll(async () => {
    app = createApiServer(
      quietApiDeps({
        users: [...users, { name: 'erin', role: 'admin', tokenHash: hashSecret(adminToken) }],
        alarms,
        devices: { list: () => [panicButton] },
        resetRoleFor: (id) => alarms.get(id)?.resetRole ?? 'staff',
      }),
    )
    // a route added later, by someone who never heard of silent alarms, is covered all the same
    app.get('/api/alarms/:id/probe', { onRequest: [] }, async (request) => ({ found: request.params }))
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
  })

  async function answer(request: InjectOptions, role: Role | null) {
    const res = await app.inject({
      ...request,
      headers: { ...request.headers, ...(role === null ? {} : { authorization: `Bearer ${TOKENS[role]}` }) },
    })
    return { status: res.statusCode, body: res.body, type: res.headers['content-type'] }
  }

  for (const role of BELOW_MANAGER) {
    it(`${role}: the open robbery and a closed one answer byte for byte as a made-up id, 404`, async () => {
      for (const hidden of [robbery.id, pastRobbery.id]) {
        const asHidden = requests(hidden)
        const asMadeUp = requests(MADE_UP)
        for (const [i, request] of asHidden.entries()) {
          const got = await answer(request, role)
          const madeUp = await answer(asMadeUp[i] as InjectOptions, role)
          expect({ request: request.name, ...got }).toEqual({ request: request.name, ...madeUp })
          expect({ request: request.name, status: got.status }).toEqual({ request: request.name, status: 404 })
        }
      }
      expect(alarms.calls).toEqual([])
      expect(alarms.get(robbery.id)).toBe(robbery)
    })
  }

  it('the 404 says alarm_not_found and nothing about the alarm', async () => {
    const res = await answer({ method: 'POST', url: `/api/alarms/${robbery.id}/ack` }, 'staff')
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'alarm_not_found', message: 'no such alarm' } })
    expect(res.body).not.toMatch(/robbery|silent|panic/i)
  })

  it('without a token every one of these routes stays 401, whether the alarm exists or not', async () => {
    for (const id of [robbery.id, MADE_UP, fire.id]) {
      for (const request of requests(id)) {
        expect({ request: request.name, status: (await answer(request, null)).status }).toEqual({
          request: request.name,
          status: 401,
        })
      }
    }
  })

  it('below manager, an alarm that is not silent keeps its answers: 403 for a role too low, 400 for a bad body', async () => {
    expect((await answer({ method: 'POST', url: `/api/alarms/${fire.id}/ack` }, 'viewer')).status).toBe(403)
    const badNote = { method: 'POST', url: `/api/alarms/${fire.id}/ack`, payload: { note: 42 } } as const
    expect((await answer(badNote, 'staff')).status).toBe(400)
    const history = await answer({ method: 'GET', url: `/api/alarms/${fire.id}/history` }, 'viewer')
    expect(JSON.parse(history.body).history).toHaveLength(1)
    expect((await answer({ method: 'POST', url: `/api/alarms/${fire.id}/ack` }, 'staff')).status).toBe(200)
    expect(alarms.calls.splice(0)).toEqual([`ack ${fire.id} by bob`])
  })

  for (const role of ['manager', 'admin'] as const) {
    it(`${role}: sees the robbery and acts on it as before`, async () => {
      const by = role === 'manager' ? 'carol' : 'erin'
      const history = await answer({ method: 'GET', url: `/api/alarms/${pastRobbery.id}/history` }, role)
      expect(JSON.parse(history.body).history.at(-1)).toMatchObject({ action: 'reset', by: 'mona' })
      const shelve = await answer(
        { method: 'POST', url: `/api/alarms/${robbery.id}/shelve`, payload: { durationSec: 60, reason: 'no' } },
        role,
      )
      expect(JSON.parse(shelve.body).error.code).toBe('shelve_not_allowed')
      const noNote = await answer({ method: 'POST', url: `/api/alarms/${robbery.id}/reset` }, role)
      expect(JSON.parse(noNote.body).error.code).toBe('note_required')
      const ack = await answer({ method: 'POST', url: `/api/alarms/${robbery.id}/ack` }, role)
      expect(ack.status).toBe(200)
      expect(JSON.parse(ack.body).alarm).toMatchObject({ id: robbery.id, state: 'active_acked', ackedBy: by })
      const reset = await answer(
        { method: 'POST', url: `/api/alarms/${robbery.id}/reset`, payload: { note: 'police left' } },
        role,
      )
      expect(JSON.parse(reset.body).alarm).toMatchObject({ state: 'closed', resetBy: by })
      expect(alarms.calls.splice(0)).toEqual([
        `shelve ${robbery.id} by ${by}`,
        `reset ${robbery.id} by ${by}`,
        `ack ${robbery.id} by ${by}`,
        `reset ${robbery.id} by ${by}`,
      ])
    })
  }

  it('the device list shows a panic button below manager as if nothing happened to it', async () => {
    for (const role of BELOW_MANAGER) {
      const { devices } = JSON.parse((await answer({ method: 'GET', url: '/api/devices' }, role)).body)
      expect(devices).toEqual([{ ...panicButton, values: {}, lastSeen: null, faults: [], status: 'ok' }])
    }
    const { devices } = JSON.parse((await answer({ method: 'GET', url: '/api/devices' }, 'manager')).body)
    expect(devices).toEqual([panicButton])
  })

  it('a made-up id is 404 for a manager too, with the same body', async () => {
    const res = await answer({ method: 'POST', url: `/api/alarms/${MADE_UP}/ack` }, 'manager')
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'alarm_not_found', message: 'no such alarm' } })
  })
})
