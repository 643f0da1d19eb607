import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiTestUsers } from '../../test/support/apiUsers.js'
import { tempDir } from '../../test/support/tempDir.js'
import { type AlarmService, createAlarmService } from '../alarms/alarmService.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { EventBus } from '../core/events.js'
import type { RaiseIntent } from '../core/intent.js'
import { sampleFire } from '../engine/testing/sampleIntents.js'
import { createMetrics } from '../metrics.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { createApiServer } from './apiServer.js'
import { quietApiDeps } from './testing/quietApiDeps.js'

const robbery: RaiseIntent = {
  ...sampleFire,
  key: 'robbery:panic-1',
  kind: 'robbery',
  silent: true,
  deviceId: 'panic-1',
  messages: { 'zh-CN': '抢劫', en: 'Robbery' },
}

describe('Prometheus metrics say nothing of a robbery to a role below manager', () => {
  const { tokens, users } = apiTestUsers()
  const dir = tempDir()
  let db: SqliteDatabase
  let alarms: AlarmService
  let app: FastifyInstance

  beforeAll(async () => {
    db = openDatabase(dir.path)
    const metrics = createMetrics()
    alarms = createAlarmService({
      log: pino({ level: 'silent' }),
      store: createAlarmStore(db),
      publisher: { alarmChanged: () => undefined, retainAlarm: () => undefined },
      events: new EventBus((err) => {
        throw err
      }),
      clock: { now: () => Date.parse('2026-11-23T10:00:00Z') },
      locale: 'en',
      metrics,
      annunciate: () => {},
    })
    app = createApiServer(quietApiDeps({ users, alarms, metrics }))
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    db.close()
    dir.remove()
  })

  const scrape = async (token: string) =>
    (await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } })).body

  it('a viewer, staff or maintenance scrape is the same before and after a robbery; a manager’s shows it', async () => {
    alarms.raise(sampleFire, 'rule:fire')
    const alarmLines = (text: string) => text.split('\n').filter((l) => /alarm/.test(l) && !l.startsWith('#'))
    const before = await Promise.all([tokens.viewer, tokens.staff, tokens.maintenance].map(scrape))

    alarms.raise(robbery, 'rule:robbery')
    const after = await Promise.all([tokens.viewer, tokens.staff, tokens.maintenance].map(scrape))
    expect(after.map(alarmLines)).toEqual(before.map(alarmLines))
    for (const text of after) expect(text).not.toMatch(/robbery|storeguard_\w*silent/i)
    expect(after[0]).toMatch(/^storeguard_open_alarms\{kind="fire",state="active_unacked"\} 1$/m)

    const manager = await scrape(tokens.manager)
    expect(manager).toMatch(/^storeguard_open_silent_alarms\{kind="robbery",state="active_unacked"\} 1$/m)
    expect(manager).toMatch(/^storeguard_silent_alarm_transitions_total\{kind="robbery",action="raised"\} 1$/m)
    expect(manager).toMatch(/^storeguard_open_alarms\{kind="fire",state="active_unacked"\} 1$/m)
  })
})
