import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import type { Alarm } from '../core/alarm.js'
import { isStoreGuardError } from '../core/errors.js'
import { type AlarmEvent, EventBus } from '../core/events.js'
import type { RaiseIntent } from '../core/intent.js'
import { sampleFire } from '../engine/testing/sampleIntents.js'
import { createMetrics } from '../metrics.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { type AlarmPublisher, type AlarmService, createAlarmService } from './alarmService.js'
import { createAlarmStore } from './alarmStore.js'

const fire: RaiseIntent = sampleFire
const leak: RaiseIntent = { ...fire, key: 'flood:entrance', kind: 'flood', severity: 'major', latching: false }

describe('alarm service', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let now: number
  let published: { alarm: Alarm; action: string }[]
  let retained: Alarm[]
  let events: AlarmEvent[]
  let annunciated: string[]

  function start(): AlarmService {
    const publisher: AlarmPublisher = {
      alarmChanged: (alarm, action) => published.push({ alarm, action }),
      retainAlarm: (alarm) => retained.push(alarm),
    }
    const bus = new EventBus((err) => {
      throw err
    })
    bus.subscribe((e) => {
      if (e.type === 'alarm') events.push(e)
    })
    return createAlarmService({
      log: pino({ level: 'silent' }),
      store: createAlarmStore(db),
      publisher,
      events: bus,
      clock: { now: () => now },
      locale: 'zh-CN',
      metrics: createMetrics(),
      annunciate: (open) => {
        const journaled = createAlarmStore(db).open().length
        annunciated.push(`${[...open].map((a) => a.state).join(',')} journaled=${journaled} events=${events.length}`)
      },
    })
  }

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    now = Date.parse('2026-11-23T10:00:00Z')
    published = []
    retained = []
    events = []
    annunciated = []
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('raises one alarm per condition: repeats of the same condition write nothing', () => {
    const alarms = start()
    alarms.raise(fire, 'rule:fire')
    now += 1000
    alarms.raise(fire, 'rule:fire')
    alarms.raise({ ...fire, deviceId: 'smoke-hall-2' }, 'rule:fire')
    expect(alarms.list()).toHaveLength(1)
    expect(published.map((p) => p.action)).toEqual(['raised'])
    const [alarm] = alarms.list()
    expect(alarm).toMatchObject({ kind: 'fire', state: 'active_unacked', latching: true, message: '火警' })
    expect(createAlarmStore(db).history(alarm?.id ?? '')).toHaveLength(1)
  })

  it('annunciates every change from the open alarms, after journaling it and before the event fan-out', () => {
    const alarms = start()
    alarms.raise(fire, 'rule:fire')
    alarms.ack(alarms.list()[0]?.id ?? '', 'li.wei', null)
    expect(annunciated).toEqual(['active_unacked journaled=1 events=0', 'active_acked journaled=1 events=1'])
  })

  it('a new severity or message updates the same alarm', () => {
    const alarms = start()
    alarms.raise({ ...fire, severity: 'major' }, 'rule:fire')
    alarms.raise({ ...fire, messages: { 'zh-CN': '确认火警', en: 'Confirmed fire' } }, 'rule:fire')
    expect(alarms.list()).toHaveLength(1)
    expect(alarms.list()[0]).toMatchObject({ severity: 'critical', message: '确认火警' })
    expect(published.map((p) => p.action)).toEqual(['raised', 'updated'])
  })

  it('a latching alarm stays after its condition clears, until reset', () => {
    const alarms = start()
    alarms.raise(fire, 'rule:fire')
    const id = alarms.list()[0]?.id ?? ''
    alarms.clear(fire.key, 'rule:fire')
    expect(alarms.get(id)).toMatchObject({ state: 'active_unacked', conditionActive: false })
    alarms.ack(id, 'li.wei', null)
    const closed = alarms.reset(id, 'li.wei', 'false alarm: burnt toast')
    expect(closed).toMatchObject({ state: 'closed', resetBy: 'li.wei', note: 'false alarm: burnt toast' })
    expect(alarms.list()).toHaveLength(0)
    expect(events.map((e) => `${e.action}:${e.by}`)).toEqual([
      'raised:rule:fire',
      'cleared:rule:fire',
      'acked:li.wei',
      'reset:li.wei',
    ])
  })

  it('refuses to reset a latching alarm while its condition is still present', () => {
    const alarms = start()
    alarms.raise(fire, 'rule:fire')
    const id = alarms.list()[0]?.id ?? ''
    expect(() => alarms.reset(id, 'li.wei', null)).toThrowError(
      expect.objectContaining({ code: 'condition_still_active' }),
    )
    expect(alarms.get(id)?.state).toBe('active_unacked')
  })

  it('a non-latching alarm that clears before acknowledgement waits as cleared-unacknowledged', () => {
    const alarms = start()
    alarms.raise(leak, 'rule:flood')
    const id = alarms.list()[0]?.id ?? ''
    alarms.clear(leak.key, 'rule:flood')
    expect(alarms.get(id)?.state).toBe('cleared_unacked')
    alarms.ack(id, 'li.wei', null)
    expect(alarms.list()).toHaveLength(0)
    expect(published.at(-1)?.alarm.state).toBe('closed')
  })

  it('unknown alarms and invalid commands fail with codes', () => {
    const alarms = start()
    let caught: unknown
    try {
      alarms.ack('nope', 'li.wei', null)
    } catch (err) {
      caught = err
    }
    expect(isStoreGuardError(caught, 'alarm_not_found')).toBe(true)
    alarms.raise(leak, 'rule:flood')
    const id = alarms.list()[0]?.id ?? ''
    expect(() => alarms.reset(id, 'li.wei', null)).toThrowError(
      expect.objectContaining({ code: 'alarm_transition_invalid' }),
    )
  })

  it('a restarted service restores every open alarm with the same id and state, and republishes it', () => {
    const first = start()
    first.raise(fire, 'rule:fire')
    first.raise(leak, 'rule:flood')
    const fireId = first.byKey(fire.key)?.id ?? ''
    first.ack(fireId, 'li.wei', null)
    const before = first.list()

    const second = start()
    expect(second.list()).toEqual(before)
    second.republishOpen()
    expect(retained.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort())
    // and the condition keys still dedupe after the restart
    second.raise(fire, 'rule:fire')
    expect(second.list()).toHaveLength(2)
  })

  it('escalation raises the level once, with the new message, and never goes back down', () => {
    const alarms = start()
    alarms.raise(fire, 'rule:fire')
    const confirmed = { 'zh-CN': '确认火警', en: 'Confirmed fire' }
    alarms.escalate(
      { type: 'escalate', key: fire.key, level: 1, messages: confirmed, details: { confirmed: true } },
      'rule:fire',
    )
    alarms.escalate({ type: 'escalate', key: fire.key, level: 1, messages: confirmed }, 'rule:fire')
    alarms.escalate({ type: 'escalate', key: fire.key, level: 0, messages: fire.messages }, 'rule:fire')
    expect(alarms.byKey(fire.key)).toMatchObject({
      escalationLevel: 1,
      message: '确认火警',
      details: { confirmed: true },
    })
    expect(published.map((p) => p.action)).toEqual(['raised', 'escalated'])
  })

  it('shelves an alarm until a time with a reason, and unshelves it when the time is up', () => {
    const alarms = start()
    alarms.raise(leak, 'rule:flood')
    const id = alarms.byKey(leak.key)?.id ?? ''
    const shelved = alarms.shelve(id, 'li.wei', now + 60_000, 'sensor being replaced')
    expect(shelved).toMatchObject({ shelvedBy: 'li.wei', shelveReason: 'sensor being replaced' })
    now += 30_000
    alarms.unshelveExpired()
    expect(alarms.get(id)?.shelvedUntil).not.toBeNull()
    now += 31_000
    alarms.unshelveExpired()
    expect(alarms.get(id)).toMatchObject({ shelvedUntil: null, shelvedBy: null })
    expect(events.map((e) => e.action)).toEqual(['raised', 'shelved', 'unshelved'])
  })

  it('refuses to shelve an alarm that may not be shelved (fire, robbery)', () => {
    const alarms = start()
    alarms.raise({ ...fire, shelvable: false }, 'rule:fire')
    const id = alarms.byKey(fire.key)?.id ?? ''
    expect(() => alarms.shelve(id, 'li.wei', now + 60_000, 'noisy')).toThrowError(
      expect.objectContaining({ code: 'shelve_not_allowed' }),
    )
  })

  it('an alarm whose reset needs a note refuses a reset without one, and records who, when and the note', () => {
    const alarms = start()
    const robbery: RaiseIntent = {
      ...fire,
      key: 'robbery:panic-1',
      kind: 'robbery',
      silent: true,
      resetPolicy: { role: 'manager', noteRequired: true },
    }
    alarms.raise(robbery, 'rule:robbery')
    alarms.clear(robbery.key, 'rule:robbery')
    const id = alarms.byKey(robbery.key)?.id ?? ''
    expect(alarms.get(id)).toMatchObject({ resetRole: 'manager', resetNoteRequired: true })
    expect(() => alarms.reset(id, 'wang.mgr', '  ')).toThrowError(expect.objectContaining({ code: 'note_required' }))
    now += 60_000
    alarms.reset(id, 'wang.mgr', 'police attended, case 2026-118')
    const last = alarms.history(id).at(-1)
    expect(last).toMatchObject({ action: 'reset', by: 'wang.mgr', at: new Date(now).toISOString() })
    expect(last?.alarm.note).toBe('police attended, case 2026-118')
  })

  it('a chattering input is marked once, and marked settled again', () => {
    const alarms = start()
    alarms.raise(leak, 'rule:flood')
    alarms.setChattering(leak.key, true, 'gateway')
    alarms.setChattering(leak.key, true, 'gateway')
    alarms.setChattering(leak.key, false, 'gateway')
    expect(events.map((e) => e.action)).toEqual(['raised', 'chattering', 'settled'])
  })
})
