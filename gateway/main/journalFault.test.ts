import { pino } from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { type AlarmService, createAlarmService } from '../alarms/alarmService.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { EventBus } from '../core/events.js'
import { createMetrics } from '../metrics.js'
import { openDatabase, type SqliteDatabase } from '../storage/database.js'
import type { JournalHealth } from '../storage/journal.js'
import { createJournalFault, JOURNAL_FAULT_KEY } from './journalFault.js'

const down = (lostTotal = 0): JournalHealth => ({
  up: false,
  reason: 'SQLITE_FULL',
  since: 1,
  memoryOnly: false,
  pending: 4,
  lost: lostTotal === 0 ? {} : { alarms: lostTotal },
  lostTotal,
})
const up: JournalHealth = { up: true, reason: null, since: null, memoryOnly: false, pending: 0, lost: {}, lostTotal: 0 }

describe('the journal_unavailable fault', () => {
  let dir: ReturnType<typeof tempDir>
  let db: SqliteDatabase
  let alarms: AlarmService
  let changes: string[]
  beforeEach(() => {
    dir = tempDir()
    db = openDatabase(dir.path)
    changes = []
    alarms = createAlarmService({
      log: pino({ level: 'silent' }),
      store: createAlarmStore(db),
      publisher: { alarmChanged: (_a, action) => changes.push(action), retainAlarm: () => {} },
      events: new EventBus(() => {}),
      clock: { now: () => Date.parse('2026-11-23T10:00:00Z') },
      locale: 'en',
      metrics: createMetrics(),
      annunciate: () => {},
    })
  })
  afterEach(() => {
    db.close()
    dir.remove()
  })

  it('is a critical system fault naming the disk error, raised once per outage', () => {
    const fault = createJournalFault(alarms)
    fault.sync(down())
    fault.sync(down())
    expect(alarms.byKey(JOURNAL_FAULT_KEY)).toMatchObject({
      kind: 'system_fault',
      severity: 'critical',
      latching: false,
      shelvable: false,
      details: { fault: 'journal_unavailable', cause: 'SQLITE_FULL', lostWrites: 0 },
    })
    expect(alarms.byKey(JOURNAL_FAULT_KEY)?.message).toContain('SQLITE_FULL')
    expect(changes).toEqual(['raised'])
  })

  it('says how many writes the memory queue had to drop, and from which table', () => {
    const fault = createJournalFault(alarms)
    fault.sync(down())
    fault.sync(down(7))
    const alarm = alarms.byKey(JOURNAL_FAULT_KEY)
    expect(alarm?.details).toMatchObject({ lostWrites: 7, lost_alarms: 7 })
    expect(alarm?.message).toContain('7 records were lost')
    expect(changes).toEqual(['raised', 'updated'])
  })

  it('clears when the journal writes again', () => {
    const fault = createJournalFault(alarms)
    fault.sync(down())
    fault.sync(up)
    expect(alarms.byKey(JOURNAL_FAULT_KEY)?.conditionActive).toBe(false)
    fault.sync(down())
    expect(alarms.byKey(JOURNAL_FAULT_KEY)?.conditionActive).toBe(true)
  })
})
