import type { Notice } from '../core/notice.js'
import type { SqliteDatabase } from '../storage/database.js'

/** Notices in SQLite, so a restart puts the same signage back up (docs/requirements.md#no-data-loss). */
export function createNoticeStore(db: SqliteDatabase) {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const upsert = db.prepare(
    `INSERT INTO notices (id, key, active, updated_at, doc) VALUES (@id, @key, @active, @updatedAt, @doc)
     ON CONFLICT (id) DO UPDATE SET active = excluded.active, updated_at = excluded.updated_at, doc = excluded.doc`,
  )
  const selectActive = db.prepare<[], { doc: string }>('SELECT doc FROM notices WHERE active = 1 ORDER BY updated_at')
  return {
    save(notice: Notice): void {
      upsert.run({
        id: notice.id,
        key: notice.key,
        active: notice.active ? 1 : 0,
        updatedAt: notice.updatedAt,
        doc: JSON.stringify(notice),
      })
    },
    active: (): Notice[] => selectActive.all().map((row) => JSON.parse(row.doc) as Notice),
  }
}

export type NoticeStore = ReturnType<typeof createNoticeStore>
