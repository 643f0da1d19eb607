import type { Alarm } from '../core/alarm.js'
import type { AlarmAction } from '../core/events.js'
import type { JournalEntry } from '../core/ports.js'
import type { SqliteDatabase } from '../storage/database.js'

/**
 * Alarms and their history in SQLite. `save` writes the alarm and its journal
 * entry in one transaction, before anything is published (docs/design.md#journal-before-publish), so a
 * crash at any point leaves either the old or the new state, never half.
 */
export function createAlarmStore(db: SqliteDatabase) {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const upsert = db.prepare(
    `INSERT INTO alarms (id, key, state, updated_at, doc) VALUES (@id, @key, @state, @updatedAt, @doc)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, doc = excluded.doc`,
  )
  const journal = db.prepare(
    'INSERT INTO alarm_journal (alarm_id, action, by, at, doc) VALUES (@alarmId, @action, @by, @at, @doc)',
  )
  const selectOpen = db.prepare<[], { doc: string }>(
    `SELECT doc FROM alarms WHERE state <> 'closed' ORDER BY updated_at`,
  )
  const selectClosedSince = db.prepare<[string], { doc: string }>(
    `SELECT doc FROM alarms WHERE state = 'closed' AND updated_at >= ?`,
  )
  const selectHistory = db.prepare<
    [string],
    { seq: number; alarm_id: string; action: string; by: string; at: string; doc: string }
  >('SELECT seq, alarm_id, action, by, at, doc FROM alarm_journal WHERE alarm_id = ? ORDER BY seq')
  const save = db.transaction((alarm: Alarm, action: AlarmAction, by: string) => {
    const doc = JSON.stringify(alarm)
    upsert.run({ id: alarm.id, key: alarm.key, state: alarm.state, updatedAt: alarm.updatedAt, doc })
    journal.run({ alarmId: alarm.id, action, by, at: alarm.updatedAt, doc })
  })

  return {
    save: (alarm: Alarm, action: AlarmAction, by: string): void => save(alarm, action, by),
    open: (): Alarm[] => selectOpen.all().map((row) => JSON.parse(row.doc) as Alarm),
    closedSince: (iso: string): Alarm[] => selectClosedSince.all(iso).map((row) => JSON.parse(row.doc) as Alarm),
    history: (alarmId: string): JournalEntry[] =>
      selectHistory.all(alarmId).map((row) => ({
        seq: row.seq,
        alarmId: row.alarm_id,
        action: row.action as AlarmAction,
        by: row.by,
        at: row.at,
        alarm: JSON.parse(row.doc) as Alarm,
      })),
  }
}

export type AlarmStore = ReturnType<typeof createAlarmStore>
