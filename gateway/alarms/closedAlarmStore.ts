import type { Alarm } from '../core/alarm.js'
import type { ClosedAlarmQuery, ClosedAlarms } from '../core/ports.js'
import type { SqliteDatabase } from '../storage/database.js'

/**
 * Closed alarms from the journal, for the history view. A closed alarm is
 * never written again, so its `updated_at` is when it closed; pages are cut
 * by (closed at, id), which no later write can move, so paging is stable
 * while new alarms close. The `alarms_closed` index (journal schema version 2)
 * serves the order.
 */
export function createClosedAlarmStore(db: SqliteDatabase): ClosedAlarms {
  const select = db.prepare<
    {
      since: string | null
      before: string | null
      kind: string | null
      zone: string | null
      afterAt: string | null
      afterId: string | null
      limit: number
    },
    { doc: string }
  >(
    `SELECT doc FROM alarms
     WHERE state = 'closed'
       AND (@since IS NULL OR updated_at >= @since)
       AND (@before IS NULL OR updated_at < @before)
       AND (@afterAt IS NULL OR (updated_at, id) < (@afterAt, @afterId))
       AND (@kind IS NULL OR json_extract(doc, '$.kind') = @kind)
       AND (@zone IS NULL OR json_extract(doc, '$.zone') = @zone)
     ORDER BY updated_at DESC, id DESC
     LIMIT @limit`,
  )
  return {
    page(query: ClosedAlarmQuery): Alarm[] {
      const rows = select.all({
        since: query.since,
        before: query.before,
        kind: query.kind,
        zone: query.zone,
        afterAt: query.after?.closedAt ?? null,
        afterId: query.after?.id ?? null,
        limit: query.limit,
      })
      return rows.map((row) => JSON.parse(row.doc) as Alarm)
    },
  }
}
