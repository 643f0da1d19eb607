import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { alarmEvent, RAISED_AT } from '../channels/testing/sampleEvents.js'
import type { NotificationsConfig } from '../config/notificationsSchema.js'
import { EventBus } from '../core/events.js'
import { createLogger } from '../log.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { type Notifications, startNotifications } from './notifications.js'

const T0 = Date.parse(RAISED_AT)
// Nothing listens on port 1: every attempt fails and stays pending, so the outbox shows what was queued.
const nowhere = (id: string) => ({ id, kind: 'webhook' as const, url: `http://127.0.0.1:1/${id}` })

const withChannels = (staff: string, duty: string): NotificationsConfig => ({
  enabled: true,
  channels: [nowhere(staff), nowhere(duty)],
  routes: [{ kinds: ['fire'], hours: 'any', channels: [staff], escalateAfterSec: 300, escalateTo: [duty] }],
  outputs: [],
  groupWindowSec: 30,
})

describe('notifications after a reload removed a channel an alarm still needs', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let now: number
  let events: EventBus
  let running: Notifications
  let warned: string[]

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    now = T0
    warned = []
    events = new EventBus((err) => {
      throw err
    })
    const log = createLogger('warn', { write: (line: string) => warned.push(JSON.parse(line).msg) })
    running = startNotifications({
      config: withChannels('staff', 'duty'),
      db,
      events,
      clock: { now: () => now },
      log,
      isOpen: () => true,
      timeZone: 'Asia/Shanghai',
      locale: 'en',
      storeName: 'Test store',
    })
  })
  afterEach(async () => {
    await running.stop()
    db.close()
    dir.remove()
  })
  const queued = () =>
    running.outbox
      .list({ limit: 1000 })
      .map((x) => x.dedupKey)
      .sort()

  it('an escalation level to a renamed channel goes where the current routes send that level, with a warning', () => {
    events.emit(alarmEvent())
    const next = withChannels('staff', 'oncall')
    running.reload({ routes: next.routes, channels: next.channels })
    now = T0 + 300_000
    running.tick(now)
    expect(queued()).toEqual(['a-1:raised:staff', 'a-1:unacked.1:oncall'])
    expect(warned).toContain('notification channel removed by a reload: sent by the current routes')
  })

  it('alarms held for a digest on a channel a reload removed are sent to the channel their routes now name', () => {
    events.emit(alarmEvent({ id: 'a-1', severity: 'major' }))
    events.emit(alarmEvent({ id: 'a-2', zone: 'backroom', severity: 'major' }))
    const next = withChannels('floor', 'duty')
    running.reload({ routes: next.routes, channels: next.channels })
    now = T0 + 31_000
    running.tick(now)
    const digests = queued().filter((k) => k.startsWith('group:'))
    expect(digests).toHaveLength(1)
    expect(digests[0]).toMatch(/a-2:floor$/)
  })
})
