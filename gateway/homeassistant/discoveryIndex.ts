import type { SqliteDatabase } from '../storage/database.js'

/**
 * The retained topics the gateway has published for Home Assistant, kept in
 * the journal (docs/home-assistant.md#removal). HA forgets an entity only when
 * its config topic gets an empty retained payload, so the gateway must know,
 * after any restart, what it announced under an older config. The journal is
 * the one place that survives both a restart and the embedded broker's
 * retained store starting empty; listening on the broker for old configs at
 * start would wait an arbitrary time, and would find nothing after such a
 * restart while HA still shows the entities.
 *
 * A cleared topic is kept as cleared: an HA that was not connected when it
 * was cleared (the embedded broker restarting with the gateway) is told again
 * when it says it is back (its birth message).
 */
export function createDiscoveryIndex(db: SqliteDatabase) {
  // the table is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const live = db.prepare<[], { topic: string }>('SELECT topic FROM ha_discovery WHERE cleared_at IS NULL')
  const cleared = db.prepare<[], { topic: string }>('SELECT topic FROM ha_discovery WHERE cleared_at IS NOT NULL')
  const upsert = db.prepare(
    `INSERT INTO ha_discovery (topic, published_at, cleared_at) VALUES (?, ?, NULL)
     ON CONFLICT (topic) DO UPDATE SET published_at = excluded.published_at, cleared_at = NULL`,
  )
  const clear = db.prepare('UPDATE ha_discovery SET cleared_at = ? WHERE topic = ?')
  return {
    /** Topics published and not cleared since. */
    live: (): string[] => live.all().map((r) => r.topic),
    /** Topics cleared, to clear again for an HA that comes back. */
    cleared: (): string[] => cleared.all().map((r) => r.topic),
    /** Recorded before they are published, so a crash between the two leaves nothing unknown on the broker. */
    add: db.transaction((topics: readonly string[], at: number) => {
      for (const topic of topics) upsert.run(topic, at)
    }),
    /** Marked once their empty retained payload has been published. */
    clear: db.transaction((topics: readonly string[], at: number) => {
      for (const topic of topics) clear.run(at, topic)
    }),
  }
}

export type DiscoveryIndex = ReturnType<typeof createDiscoveryIndex>
