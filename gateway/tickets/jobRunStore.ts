import type { SqliteDatabase } from '../storage/database.js'

/** The last run of a scheduled job: which occurrence it was for, and when it ran (epoch ms). */
export interface JobRun {
  readonly occurrenceMs: number
  readonly ranAtMs: number
}

/**
 * Last runs of critical scheduled jobs (docs/requirements.md#reminders-and-escalation): node-cron skips a run it
 * missed (busy event loop, the clock jumping at NTP sync on a Pi without an
 * RTC), so a job records which occurrence it has done and catches up the next
 * one it finds undone.
 */
export function createJobRunStore(db: SqliteDatabase) {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const select = db.prepare<[string], { occurrence_ms: number; ran_at_ms: number }>(
    'SELECT occurrence_ms, ran_at_ms FROM job_runs WHERE job = ?',
  )
  const upsert = db.prepare(
    `INSERT INTO job_runs (job, occurrence_ms, ran_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (job) DO UPDATE SET occurrence_ms = excluded.occurrence_ms, ran_at_ms = excluded.ran_at_ms`,
  )
  return {
    lastRun(job: string): JobRun | null {
      const row = select.get(job)
      return row === undefined ? null : { occurrenceMs: row.occurrence_ms, ranAtMs: row.ran_at_ms }
    },
    recordRun(job: string, occurrenceMs: number, ranAtMs: number): void {
      upsert.run(job, occurrenceMs, ranAtMs)
    },
  }
}

export type JobRunStore = ReturnType<typeof createJobRunStore>
