import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { EventBus } from '../core/events.js'
import type { RaiseIntent } from '../core/intent.js'
import { sampleFire } from '../engine/testing/sampleIntents.js'
import { createLogger } from '../log.js'
import { createMetrics } from '../metrics.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import { type AlarmService, createAlarmService } from './alarmService.js'
import { createAlarmStore } from './alarmStore.js'

const robbery: RaiseIntent = {
  ...sampleFire,
  key: 'robbery:counter',
  kind: 'robbery',
  silent: true,
  deviceId: 'panic-counter-1',
  zone: 'counter',
  messages: { 'zh-CN': '抢劫报警', en: 'Robbery' },
}

interface LogLine {
  readonly level: number
  readonly msg: string
  readonly [field: string]: unknown
}
const INFO = 30
const DEBUG = 20

describe('the log of alarm transitions', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let lines: LogLine[]

  /** The alarm service on a real journal, logging through the gateway's own logger into `lines`. */
  function start(level: 'info' | 'debug'): AlarmService {
    const log = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) })
    return createAlarmService({
      log,
      store: createAlarmStore(db),
      publisher: { alarmChanged: () => {}, retainAlarm: () => {} },
      events: new EventBus((err) => {
        throw err
      }),
      clock: { now: () => Date.parse('2026-11-23T10:00:00Z') },
      locale: 'en',
      metrics: createMetrics(),
      annunciate: () => {},
    })
  }
  const transitions = () => lines.filter((l) => l.msg === 'alarm transition')

  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    lines = []
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('says each transition at info: kind, alarm, the state it is now in, and who moved it', () => {
    const alarms = start('info')
    alarms.raise(sampleFire, 'rule:fire')
    const id = alarms.list()[0]?.id ?? ''
    alarms.ack(id, 'demo-staff', null)
    alarms.clear(sampleFire.key, 'rule:fire')
    alarms.reset(id, 'demo-manager', 'drill')
    expect(
      transitions().map(({ level, kind, alarmId, action, state, by }) => ({ level, kind, alarmId, action, state, by })),
    ).toEqual([
      { level: INFO, kind: 'fire', alarmId: id, action: 'raised', state: 'active_unacked', by: 'rule:fire' },
      { level: INFO, kind: 'fire', alarmId: id, action: 'acked', state: 'active_acked', by: 'demo-staff' },
      { level: INFO, kind: 'fire', alarmId: id, action: 'cleared', state: 'active_acked', by: 'rule:fire' },
      { level: INFO, kind: 'fire', alarmId: id, action: 'reset', state: 'closed', by: 'demo-manager' },
    ])
  })

  it('writes nothing at info for a silent alarm, not even that something changed', () => {
    const alarms = start('info')
    alarms.raise(robbery, 'rule:robbery')
    const id = alarms.list()[0]?.id ?? ''
    alarms.ack(id, 'demo-manager', null)
    alarms.clear(robbery.key, 'rule:robbery')
    alarms.reset(id, 'demo-manager', 'drill')
    expect(lines).toEqual([])
  })

  it("keeps a silent alarm's transitions, details and all, for debug", () => {
    const alarms = start('debug')
    alarms.raise(robbery, 'rule:robbery')
    expect(transitions()).toEqual([
      expect.objectContaining({ level: DEBUG, kind: 'robbery', action: 'raised', silent: true, by: 'rule:robbery' }),
    ])
    expect(lines.filter((l) => l.level > DEBUG)).toEqual([])
  })
})
