import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fireChecklist } from '../../rules/checklists/fire.js'
import { tempDir } from '../../test/support/tempDir.js'
import type { Alarm } from '../core/alarm.js'
import { isStoreGuardError } from '../core/errors.js'
import { type AlarmEvent, EventBus } from '../core/events.js'
import type { RaiseIntent } from '../core/intent.js'
import { createMetrics } from '../metrics.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { type AlarmPublisher, type AlarmService, createAlarmService } from './alarmService.js'
import { createAlarmStore } from './alarmStore.js'

const fire: RaiseIntent = {
  type: 'raise',
  key: 'fire:hall',
  kind: 'fire',
  severity: 'critical',
  latching: true,
  silent: false,
  deviceId: 'smoke-hall-1',
  zone: 'hall',
  messages: { 'zh-CN': '火警', en: 'Fire' },
  checklist: fireChecklist,
}
const leak: RaiseIntent = { ...fire, key: 'flood:entrance', kind: 'flood', severity: 'major', latching: false }

describe('alarm service', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let now: number
  let published: { alarm: Alarm; action: string }[]
  let retained: Alarm[]
  let events: AlarmEvent[]

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
      store: createAlarmStore(db),
      publisher,
      events: bus,
      clock: { now: () => now },
      locale: 'zh-CN',
      metrics: createMetrics(),
    })
  }

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    now = Date.parse('2026-11-23T10:00:00Z')
    published = []
    retained = []
    events = []
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
})
