import type { SqliteDatabase } from '../storage/database.js'

/**
 * Which escalation levels were sent per alarm, in the gateway journal, so an
 * alarm open across a restart escalates exactly once per level (docs/requirements.md#escalation).
 * Rows live until the alarm is no longer active_unacked.
 */
export interface EscalationStore {
  /** Highest level already sent for this alarm; 0 when none. */
  levelsSent(alarmId: string): number
  markSent(alarmId: string, level: number, atMs: number): void
  /** The alarm no longer escalates: its rows go. */
  forget(alarmId: string): void
  /** Alarm ids with rows. */
  alarmIds(): string[]
}

export function createEscalationStore(db: SqliteDatabase): EscalationStore {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const maxLevel = db.prepare<[string], { level: number | null }>(
    'SELECT MAX(level) AS level FROM notification_escalation WHERE alarm_id = ?',
  )
  const insert = db.prepare<[string, number, number]>(
    'INSERT OR IGNORE INTO notification_escalation (alarm_id, level, sent_at) VALUES (?, ?, ?)',
  )
  const remove = db.prepare<[string]>('DELETE FROM notification_escalation WHERE alarm_id = ?')
  const ids = db.prepare<[], { alarm_id: string }>('SELECT DISTINCT alarm_id FROM notification_escalation')
  // Alarm ids with rows, so the many alarm events that concern none cost no write.
  const known = new Set(ids.all().map((r) => r.alarm_id))

  return {
    levelsSent: (alarmId) => (known.has(alarmId) ? (maxLevel.get(alarmId)?.level ?? 0) : 0),
    markSent(alarmId, level, atMs) {
      insert.run(alarmId, level, atMs)
      known.add(alarmId)
    },
    forget(alarmId) {
      if (!known.delete(alarmId)) return
      remove.run(alarmId)
    },
    alarmIds: () => [...known],
  }
}
