import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { tempDir } from '../../test/support/tempDir.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { createClosedAlarmStore } from '../alarms/closedAlarmStore.js'
import { sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { Alarm, AlarmKind } from '../core/alarm.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createApiServer } from './apiServer.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

const { tokens, users } = apiTestUsers()

interface Page {
  alarms: Alarm[]
  nextCursor: string | null
}

/** Closed on 2026-11-20…23, several at the very same millisecond, so the id has to break the tie. */
const CLOSED: readonly [string, AlarmKind, string, string, boolean][] = [
  ['a1', 'flood', 'backroom', '2026-11-20T09:00:00.000Z', false],
  ['a2', 'fire', 'hall', '2026-11-21T09:00:00.000Z', false],
  ['a3', 'robbery', 'hall', '2026-11-21T09:00:00.000Z', true],
  ['a4', 'terminal_fault', 'self-service', '2026-11-21T09:00:00.000Z', false],
  ['a5', 'flood', 'hall', '2026-11-22T09:00:00.000Z', false],
  ['a6', 'robbery', 'hall', '2026-11-22T10:00:00.000Z', true],
  ['a7', 'robbery', 'hall', '2026-11-22T11:00:00.000Z', true],
  ['a8', 'power_outage', 'hall', '2026-11-23T09:00:00.000Z', false],
]

describe('GET /api/alarms?state=closed: the closed-alarm history', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let app: FastifyInstance

  beforeAll(async () => {
    dir = tempDir()
    db = openDatabase(dir.path)
    const store = createAlarmStore(db)
    for (const [id, kind, zone, closedAt, silent] of CLOSED) {
      const alarm = sampleAlarm({ id, key: `${kind}:${id}`, kind, zone, silent })
      store.save(alarm, 'raised', 'rule:x')
      store.save({ ...alarm, state: 'closed', updatedAt: closedAt }, 'reset', 'bob')
    }
    // an open alarm is not history
    store.save(sampleAlarm({ id: 'open-1', key: 'fire:open' }), 'raised', 'rule:fire')
    app = createApiServer(quietApiDeps({ users, closedAlarms: createClosedAlarmStore(db) }))
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    db.close()
    dir.remove()
  })

  const get = (query: string, token: string = tokens.manager) =>
    app.inject({ url: `/api/alarms?${query}`, headers: { authorization: `Bearer ${token}` } })
  const page = async (query: string, token?: string): Promise<Page> => {
    const res = await get(query, token)
    expect(res.statusCode).toBe(200)
    return res.json() as Page
  }
  /** Follows the cursors to the end; the ids of every page. */
  async function allPages(query: string, token?: string): Promise<string[][]> {
    const pages: string[][] = []
    let cursor: string | null = null
    do {
      const p: Page = await page(`${query}${cursor === null ? '' : `&cursor=${cursor}`}`, token)
      pages.push(p.alarms.map((a) => a.id))
      cursor = p.nextCursor
    } while (cursor !== null)
    return pages
  }

  it('lists closed alarms newest closed first, the id breaking ties, for a manager silent ones included', async () => {
    const all = await page('state=closed')
    expect(all.alarms.map((a) => a.id)).toEqual(['a8', 'a7', 'a6', 'a5', 'a4', 'a3', 'a2', 'a1'])
    expect(all.nextCursor).toBeNull()
  })

  it('pages by cursor without a gap or a repeat', async () => {
    expect(await allPages('state=closed&limit=3')).toEqual([
      ['a8', 'a7', 'a6'],
      ['a5', 'a4', 'a3'],
      ['a2', 'a1'],
    ])
  })

  it('hides silent alarms below manager with the very rule of the open list, and still fills every page', async () => {
    for (const token of [tokens.viewer, tokens.staff, tokens.maintenance]) {
      expect(await allPages('state=closed&limit=2', token)).toEqual([['a8', 'a5'], ['a4', 'a2'], ['a1']])
    }
    expect((await page('state=closed&kind=robbery', tokens.staff)).alarms).toEqual([])
  })

  it('filters by kind, zone and closing time (since inclusive, before exclusive)', async () => {
    const ids = async (q: string) => (await page(`state=closed&${q}`)).alarms.map((a) => a.id)
    expect(await ids('kind=flood')).toEqual(['a5', 'a1'])
    expect(await ids('zone=hall')).toEqual(['a8', 'a7', 'a6', 'a5', 'a3', 'a2'])
    expect(await ids('since=2026-11-21T09:00:00Z&before=2026-11-22T09:00:00Z')).toEqual(['a4', 'a3', 'a2'])
    // an offset is read as the same instant
    expect(await ids('since=2026-11-22T17:00:00%2B08:00&before=2026-11-23T17:00:00%2B08:00')).toEqual([
      'a7',
      'a6',
      'a5',
    ])
    expect(await allPages('state=closed&zone=hall&kind=robbery&limit=1')).toEqual([['a7'], ['a6'], ['a3']])
  })

  it('keeps the open list as it was', async () => {
    const res = await get('', tokens.viewer)
    expect((res.json() as { alarms: Alarm[] }).alarms).toEqual([])
  })

  it.each([
    ['state', 'state=gone'],
    ['limit', 'state=closed&limit=0'],
    ['limit', 'state=closed&limit=101'],
    ['limit', 'state=closed&limit=ten'],
    ['since', 'state=closed&since=yesterday'],
    ['before', 'state=closed&before=2026-13-01'],
    ['before', 'state=closed&before=2026-11-21T23:59:60Z'],
    ['kind', 'state=closed&kind=alien'],
    ['cursor', 'state=closed&cursor=not%20a%20cursor'],
    ['cursor', `state=closed&cursor=${Buffer.from('["x"]').toString('base64url')}`],
    ['since', 'since=2026-11-21T00:00:00Z'],
    ['colour', 'state=closed&colour=red'],
  ])('answers 400 naming %s', async (name, query) => {
    const res = await get(query)
    expect(res.statusCode).toBe(400)
    const { error } = res.json() as { error: { code: string; message: string } }
    expect(error.code).toBe('bad_request')
    expect(error.message).toContain(name)
  })

  it('needs a token', async () => {
    expect((await app.inject({ url: '/api/alarms?state=closed' })).statusCode).toBe(401)
  })
})
