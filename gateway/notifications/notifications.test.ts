import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import {
  alarmEvent,
  floodEvent,
  noticeEvent,
  RAISED_AT,
  reportEvent,
  robberyEvent,
  sampleAlarm,
  ticketEvent,
} from '../channels/testing/sampleEvents.js'
import type { NotificationsConfig } from '../config/notificationsSchema.js'
import type { Alarm } from '../core/alarm.js'
import { EventBus } from '../core/events.js'
import { createLogger } from '../log.js'
import { createOutputArbiter } from '../outputs/arbiter.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { type Notifications, startNotifications } from './notifications.js'

const T0 = Date.parse(RAISED_AT)
// Nothing listens on port 1: every attempt fails and stays pending, so the outbox shows what was queued.
const nowhere = (id: string) => ({ id, kind: 'webhook' as const, url: `http://127.0.0.1:1/${id}` })

const config: NotificationsConfig = {
  enabled: true,
  channels: [nowhere('staff'), nowhere('duty'), nowhere('facilities')],
  routes: [
    {
      kinds: ['fire'],
      hours: 'any',
      channels: ['staff'],
      escalateAfterSec: 300,
      escalateTo: ['duty'],
      events: ['ticket_reminder', 'staff_notice'],
    },
    { kinds: ['fire'], hours: 'any', channels: ['staff'], escalateAfterSec: 1800, escalateTo: ['facilities'] },
  ],
  outputs: [],
  groupWindowSec: 30,
}

/** Notifications on `db` with a fresh event bus, the store's settings, and outputs recorded in `writes`. */
function startOn(
  db: SqliteDatabase,
  cfg: NotificationsConfig,
  now: () => number,
  writes: string[],
  openAlarms?: () => readonly Alarm[],
): { events: EventBus; running: Notifications } {
  const events = new EventBus((err) => {
    throw err
  })
  const running = startNotifications({
    config: cfg,
    db,
    events,
    outputs: createOutputArbiter((i) => writes.push(`${i.deviceId}=${String(i.value)}`)),
    clock: { now },
    log: createLogger('silent'),
    isOpen: () => true,
    timeZone: 'Asia/Shanghai',
    locale: 'en',
    storeName: 'Test store',
    ...(openAlarms === undefined ? {} : { openAlarms }),
  })
  return { events, running }
}

describe('startNotifications: escalation across a restart, grouping, staff events', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let now: number
  let events: EventBus
  let running: Notifications | undefined

  let writes: string[]

  function start(openAlarms?: () => readonly Alarm[], cfg: NotificationsConfig = config): Notifications {
    ;({ events, running } = startOn(db, cfg, () => now, writes, openAlarms))
    return running
  }
  async function restart(
    openAlarms?: () => readonly Alarm[],
    cfg: NotificationsConfig = config,
  ): Promise<Notifications> {
    await running?.stop()
    db.close()
    db = openDatabase(dir.path)
    return start(openAlarms, cfg)
  }
  const queued = (n: Notifications) =>
    n.outbox
      .list({ limit: 1000 })
      .map((x) => x.dedupKey)
      .sort()

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    now = T0
    writes = []
  })
  afterEach(async () => {
    await running?.stop()
    running = undefined
    db.close()
    dir.remove()
  })

  it('an alarm open and unacknowledged across a restart still escalates, exactly once per level', async () => {
    const first = start()
    events.emit(alarmEvent())
    now = T0 + 300_000
    first.tick(now)
    expect(queued(first)).toEqual(['a-1:raised:staff', 'a-1:unacked.1:duty'])

    const open = () => [sampleAlarm()]
    const second = await restart(open)
    now = T0 + 400_000
    second.tick(now)
    expect(queued(second)).toEqual(['a-1:raised:staff', 'a-1:unacked.1:duty'])
    now = T0 + 1_800_000
    second.tick(now)
    second.tick(now + 1)
    expect(queued(second)).toEqual(['a-1:raised:staff', 'a-1:unacked.1:duty', 'a-1:unacked.2:facilities'])

    const third = await restart(open)
    third.tick(T0 + 9_000_000)
    expect(third.outbox.list({ limit: 1000 })).toHaveLength(3)
  })

  it('without openAlarms nothing resumes; an acked alarm is not resumed', async () => {
    start()
    events.emit(alarmEvent())
    const second = await restart()
    now = T0 + 3_600_000
    second.tick(now)
    expect(queued(second)).toEqual(['a-1:raised:staff'])
    const third = await restart(() => [sampleAlarm({ state: 'active_acked', ackedBy: 'stan' })])
    third.tick(now)
    expect(queued(third)).toEqual(['a-1:raised:staff'])
  })

  it('alarms of one kind within the window: the first at once, the rest as one digest when the window ends', async () => {
    const n = start()
    events.emit(alarmEvent({ id: 'a-1', severity: 'major' }))
    now = T0 + 10_000
    events.emit(alarmEvent({ id: 'a-2', zone: 'backroom', severity: 'major' }))
    events.emit(alarmEvent({ id: 'a-3', zone: 'entrance', severity: 'major' }))
    expect(queued(n)).toEqual(['a-1:raised:staff'])
    now = T0 + 30_000
    n.tick(now)
    const digests = n.outbox.list({ limit: 1000 }).filter((x) => x.dedupKey.startsWith('group:'))
    expect(digests).toHaveLength(1)
    expect(digests[0]?.channel).toBe('staff')
    const payload = digests[0]?.payload as { event: { type: string; alarms: Alarm[] }; message: { text: string } }
    expect(payload.event.type).toBe('alarm_group')
    expect(payload.event.alarms.map((a) => a.id)).toEqual(['a-2', 'a-3'])
    expect(payload.message.text).toContain('backroom')
    // every held alarm still escalates on its own
    now = T0 + 310_000
    n.tick(now)
    expect(queued(n).filter((k) => k.includes('unacked.1'))).toEqual([
      'a-1:unacked.1:duty',
      'a-2:unacked.1:duty',
      'a-3:unacked.1:duty',
    ])
  })

  it('critical and silent alarms are never held back for a digest', async () => {
    const n = start()
    events.emit(alarmEvent({ id: 'a-1' }))
    now = T0 + 10_000
    events.emit(alarmEvent({ id: 'a-2', zone: 'backroom' }))
    expect(queued(n)).toEqual(['a-1:raised:staff', 'a-2:raised:staff'])
  })

  it('alarms still held when notifications stop are queued as a digest, not lost', async () => {
    start()
    events.emit(alarmEvent({ id: 'a-1', severity: 'major' }))
    events.emit(alarmEvent({ id: 'a-2', severity: 'major' }))
    const after = await restart()
    expect(queued(after).filter((k) => k.startsWith('group:'))).toHaveLength(1)
  })

  it('ticket reminders and posted staff notices reach the routes listing them; customer notices never', () => {
    const n = start()
    events.emit(ticketEvent({ action: 'reminder', fraction: 0.5 }))
    events.emit(ticketEvent({ action: 'reminder', fraction: 0.8 }))
    events.emit(ticketEvent({ action: 'breached' }))
    events.emit(noticeEvent({ audience: 'staff' }))
    events.emit(noticeEvent({ audience: 'customer', id: 'n-2' }))
    expect(queued(n)).toEqual([
      `notice:n-1:${RAISED_AT}:posted:staff`,
      'ticket:tk-1:0.5:reminder:staff',
      'ticket:tk-1:0.8:reminder:staff',
    ])
  })

  it('the pre-opening report reaches the routes listing it', () => {
    const n = start(undefined, {
      ...config,
      routes: [...config.routes, { kinds: [], hours: 'any', channels: ['duty'], events: ['pre_opening_report'] }],
    })
    events.emit(reportEvent())
    expect(queued(n)).toEqual(['report:pre_opening:2024-05-06T01:00:00.000Z:sent:duty'])
  })

  it('an alarm-flood start is one message on the managers’ route, not on the catch-all; its end is none', () => {
    const n = start(undefined, {
      ...config,
      routes: [
        { hours: 'any', channels: ['staff'] },
        { kinds: [], hours: 'any', channels: ['duty'], events: ['alarm_flood'] },
      ],
    })
    events.emit(floodEvent())
    events.emit({ ...floodEvent(), action: 'ended' })
    expect(queued(n)).toEqual([`alarm_flood:${RAISED_AT}:started:duty`])
  })
})

describe('startNotifications: sirens and strobes as channels', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let writes: string[]
  let now: number
  let events: EventBus
  let running: Notifications | undefined

  const withBuzzer: NotificationsConfig = {
    ...config,
    outputs: [{ id: 'backroom-buzzer', devices: ['siren-2'], until: 'ack' }],
    routes: [
      { kinds: ['flood'], hours: 'any', channels: ['staff', 'backroom-buzzer'] },
      {
        kinds: ['fire'],
        hours: 'any',
        channels: ['staff'],
        escalation: [{ afterSec: 60, channels: ['backroom-buzzer'] }],
      },
      { kinds: ['robbery'], silent: true, hours: 'any', channels: ['duty'] },
    ],
  }
  const flood = (over: Partial<Alarm> = {}, action: 'raised' | 'acked' = 'raised') =>
    alarmEvent({ id: 'f-1', kind: 'flood', severity: 'major', ...over }, { action })

  function start(cfg: NotificationsConfig, openAlarms?: () => readonly Alarm[]): Notifications {
    ;({ events, running } = startOn(db, cfg, () => now, writes, openAlarms))
    return running
  }

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    writes = []
    now = T0
  })
  afterEach(async () => {
    await running?.stop()
    running = undefined
    db.close()
    dir.remove()
  })

  it('a flood alarm sounds the backroom buzzer until it is acknowledged; the buzzer never goes through the outbox', () => {
    const n = start(withBuzzer)
    events.emit(flood())
    expect(writes).toEqual(['siren-2=true'])
    expect(n.outbox.list({ limit: 100 }).map((x) => x.channel)).toEqual(['staff'])
    events.emit(flood({ state: 'active_acked', ackedBy: 'stan' }, 'acked'))
    expect(writes).toEqual(['siren-2=true', 'siren-2=false'])
  })

  it('an escalation level may be a local output: the buzzer sounds once the fire alarm is a minute unacknowledged', () => {
    const n = start(withBuzzer)
    events.emit(alarmEvent())
    expect(writes).toEqual([])
    now = T0 + 60_000
    n.tick(now)
    expect(writes).toEqual(['siren-2=true'])
  })

  it('a robbery alarm never sounds an output, and a silent route naming one is refused at start', () => {
    start(withBuzzer)
    events.emit(robberyEvent())
    expect(writes).toEqual([])
    expect(() =>
      start({
        ...withBuzzer,
        routes: [{ kinds: ['robbery'], silent: true, hours: 'any', channels: ['duty', 'backroom-buzzer'] }],
      }),
    ).toThrow(/routes\[0\]\.channels\[1\] "backroom-buzzer" is a local output; a silent route/)
  })

  it('an output still wanted after a restart sounds again', async () => {
    start(withBuzzer)
    events.emit(flood())
    await running?.stop()
    db.close()
    db = openDatabase(dir.path)
    writes = []
    start(withBuzzer, () => [flood().alarm])
    expect(writes).toEqual(['siren-2=true'])
  })
})
