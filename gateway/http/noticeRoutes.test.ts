import type { FastifyInstance } from 'fastify'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { tempDir } from '../../test/support/tempDir.js'
import { createMqttStatePublisher } from '../alarms/mqttStatePublisher.js'
import type { MqttBus } from '../bus/mqttBus.js'
import { EventBus, type NoticeEvent } from '../core/events.js'
import type { Notice } from '../core/notice.js'
import type { DeviceStatus } from '../core/ports.js'
import { createNoticeService, type NoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createApiServer } from './apiServer.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

const { tokens, users } = apiTestUsers()
const NOW = Date.parse('2026-11-23T10:00:00Z')

const device = (id: string, zone: string): DeviceStatus => ({
  id,
  type: 'terminal',
  zone,
  name: null,
  lastSeen: null,
  values: {},
  transport: 'mqtt',
  status: 'ok',
  faults: [],
})

interface Published {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
}

describe('notices posted and withdrawn over the API', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let app: FastifyInstance
  let notices: NoticeService
  let published: Published[]
  let events: NoticeEvent[]
  let now: number
  let startService: () => NoticeService

  beforeEach(async () => {
    now = NOW
    dir = tempDir()
    db = openDatabase(dir.path)
    published = []
    events = []
    const bus = {
      publish: (topic: string, payload: string | Buffer, options?: { retain?: boolean }) =>
        void published.push({ topic, payload: String(payload), retain: options?.retain === true }),
    } as Pick<MqttBus, 'publish'> as MqttBus
    const eventBus = new EventBus((err) => {
      throw err
    })
    eventBus.subscribe((e) => {
      if (e.type === 'notice') events.push(e)
    })
    startService = () =>
      createNoticeService({
        store: createNoticeStore(db),
        publisher: createMqttStatePublisher(bus, 'storeguard/s1').notices,
        events: eventBus,
        clock: { now: () => now },
        locale: 'zh-CN',
        maxPosted: 2,
      })
    notices = startService()
    app = createApiServer(
      quietApiDeps({
        users,
        notices,
        noticeCommands: notices,
        devices: { list: () => [device('terminal-1', 'self-service'), device('smoke-1', 'hall')] },
        now: () => now,
      }),
    )
    await app.ready()
  })
  afterEach(async () => {
    await app.close()
    db.close()
    dir.remove()
  })

  const post = (token: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/notices',
      headers: { authorization: `Bearer ${token}` },
      payload: payload as object,
    })
  const withdraw = (token: string, id: string) =>
    app.inject({ method: 'DELETE', url: `/api/notices/${id}`, headers: { authorization: `Bearer ${token}` } })
  const planned = {
    audience: 'customer',
    deviceId: 'terminal-1',
    texts: { 'zh-CN': '今晚 22:00 系统升级', en: 'System upgrade tonight at 22:00' },
    endsAt: '2026-11-24T02:00:00+08:00',
  }

  it('lets staff post a notice: 201, journaled, retained on MQTT and evented with who posted it', async () => {
    const res = await post(tokens.staff, planned)
    expect(res.statusCode).toBe(201)
    const { notice } = res.json() as { notice: Notice }
    expect(notice).toMatchObject({
      audience: 'customer',
      deviceId: 'terminal-1',
      zone: 'self-service',
      text: '今晚 22:00 系统升级',
      startsAt: new Date(NOW).toISOString(),
      endsAt: '2026-11-23T18:00:00.000Z',
      active: true,
      postedBy: 'bob',
    })
    expect(createNoticeStore(db).active()).toEqual([notice])
    expect(published).toContainEqual({
      topic: `storeguard/s1/notices/${notice.id}`,
      payload: JSON.stringify(notice),
      retain: true,
    })
    expect(events.map((e) => [e.action, e.by, e.notice.id])).toEqual([['posted', 'bob', notice.id]])
    const list = await app.inject({ url: '/api/notices', headers: { authorization: `Bearer ${tokens.viewer}` } })
    expect((list.json() as { notices: Notice[] }).notices).toEqual([notice])
  })

  it('refuses a viewer with 403 and posts nothing', async () => {
    const res = await post(tokens.viewer, planned)
    expect(res.statusCode).toBe(403)
    expect(res.json()).toMatchObject({ error: { code: 'forbidden' } })
    expect(notices.list()).toEqual([])
    expect(published).toEqual([])
  })

  it.each([
    ['audience', { ...planned, audience: 'everyone' }],
    ['texts', { ...planned, texts: {} }],
    ['texts', { ...planned, texts: { 'zh-CN': ' \u0007\n ' } }],
    ['zh-CN', { ...planned, texts: { 'zh-CN': 'x'.repeat(281) } }],
    ['deviceId', { ...planned, deviceId: 'terminal-9' }],
    ['zone', { ...planned, zone: 'roof' }],
    ['zone', { ...planned, zone: 'hall' }],
    ['endsAt', { ...planned, endsAt: 'tomorrow' }],
    ['endsAt', { ...planned, endsAt: '2026-11-23T09:00:00Z' }],
    ['startsAt', { ...planned, startsAt: 'soon' }],
    ['startsAt', { ...planned, startsAt: '2028-01-01T00:00:00Z' }],
    ['endsAt', { ...planned, startsAt: '2026-11-24T03:00:00+08:00' }],
    ['colour', { ...planned, colour: 'red' }],
  ])('answers 400 naming %s for bad input, and posts nothing', async (field, body) => {
    const res = await post(tokens.staff, body)
    expect(res.statusCode).toBe(400)
    const { error } = res.json() as { error: { code: string; message: string } }
    expect(error.code).toBe('bad_request')
    expect(error.message).toContain(field)
    expect(notices.list()).toEqual([])
  })

  it('cleans control and bidi characters out of the texts, and fills a missing language from the other', async () => {
    const res = await post(tokens.staff, {
      audience: 'staff',
      zone: 'hall',
      texts: { en: 'Wet\nfloor \u202eat the door' },
    })
    expect(res.statusCode).toBe(201)
    const { notice } = res.json() as { notice: Notice }
    expect(notice.texts).toEqual({ 'zh-CN': 'Wet floor at the door', en: 'Wet floor at the door' })
    expect(notice).toMatchObject({ zone: 'hall', deviceId: null, endsAt: null })
  })

  it('lets staff withdraw a posted notice: the retained copy is removed and the event says who', async () => {
    const { notice } = (await post(tokens.manager, planned)).json() as { notice: Notice }
    const res = await withdraw(tokens.staff, notice.id)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ notice: { id: notice.id, active: false } })
    expect(notices.list()).toEqual([])
    expect(createNoticeStore(db).active()).toEqual([])
    expect(published).toContainEqual({ topic: `storeguard/s1/notices/${notice.id}`, payload: '', retain: true })
    expect(events.map((e) => [e.action, e.by])).toEqual([
      ['posted', 'carol'],
      ['withdrawn', 'bob'],
    ])
    expect((await withdraw(tokens.staff, notice.id)).statusCode).toBe(404)
  })

  it("answers 409 to withdrawing a rule's notice, whatever the role, and leaves it up", async () => {
    notices.post(
      {
        type: 'notice',
        key: 'terminal_fault:terminal-1',
        audience: 'customer',
        zone: 'self-service',
        deviceId: 'terminal-1',
        texts: { 'zh-CN': '本机维修中', en: 'Being repaired' },
        endsAt: null,
      },
      'rule:terminalFault',
    )
    const [ruleNotice] = notices.list()
    const res = await withdraw(tokens.manager, ruleNotice?.id ?? '')
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({ error: { code: 'notice_not_withdrawable' } })
    expect(notices.list()).toHaveLength(1)
  })

  it('answers 409 once as many posted notices as allowed are up, and takes one again after a withdrawal', async () => {
    const first = (await post(tokens.staff, planned)).json() as { notice: Notice }
    expect((await post(tokens.staff, planned)).statusCode).toBe(201)
    const over = await post(tokens.staff, planned)
    expect(over.statusCode).toBe(409)
    expect(over.json()).toMatchObject({ error: { code: 'too_many_notices' } })
    expect(notices.list()).toHaveLength(2)
    await withdraw(tokens.staff, first.notice.id)
    expect((await post(tokens.staff, planned)).statusCode).toBe(201)
  })

  it('keeps planned work journaled but unshown until its start, across a restart, then posts it live', async () => {
    const later = { ...planned, startsAt: '2026-11-23T20:00:00+08:00' }
    const res = await post(tokens.staff, later)
    expect(res.statusCode).toBe(201)
    const { notice } = res.json() as { notice: Notice }
    expect(notice).toMatchObject({ startsAt: '2026-11-23T12:00:00.000Z', active: true, postedBy: 'bob' })
    expect(notices.list()).toEqual([])
    expect(published).toEqual([])
    expect(events).toEqual([])
    const scheduled = await app.inject({
      url: '/api/notices?state=scheduled',
      headers: { authorization: `Bearer ${tokens.viewer}` },
    })
    expect((scheduled.json() as { notices: Notice[] }).notices).toEqual([notice])

    // a restart before the start keeps it waiting
    const restarted = startService()
    expect(restarted.list()).toEqual([])
    expect(restarted.scheduled()).toEqual([notice])

    now = Date.parse(notice.startsAt)
    restarted.expire()
    const live = { ...notice, updatedAt: notice.startsAt }
    expect(restarted.list()).toEqual([live])
    expect(restarted.scheduled()).toEqual([])
    expect(published).toContainEqual({
      topic: `storeguard/s1/notices/${notice.id}`,
      payload: JSON.stringify(live),
      retain: true,
    })
    expect(events.map((e) => [e.action, e.by])).toEqual([['posted', 'bob']])
  })

  it('withdraws planned work before its start without ever showing or publishing it', async () => {
    const { notice } = (await post(tokens.staff, { ...planned, startsAt: '2026-11-23T20:00:00+08:00' })).json() as {
      notice: Notice
    }
    const res = await withdraw(tokens.staff, notice.id)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ notice: { id: notice.id, active: false } })
    now = Date.parse(notice.startsAt)
    notices.expire()
    expect(notices.list()).toEqual([])
    expect(notices.scheduled()).toEqual([])
    expect(createNoticeStore(db).active()).toEqual([])
    expect(published).toEqual([])
    expect(events).toEqual([])
  })

  it('refuses a viewer withdrawing, and answers 404 for an unknown id', async () => {
    const { notice } = (await post(tokens.staff, planned)).json() as { notice: Notice }
    expect((await withdraw(tokens.viewer, notice.id)).statusCode).toBe(403)
    expect((await withdraw(tokens.staff, 'notice-nope')).statusCode).toBe(404)
    expect(notices.list()).toHaveLength(1)
  })
})
