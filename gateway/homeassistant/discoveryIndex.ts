import type { SqliteDatabase } from '../storage/database.js'

/**
 * The discovery topics the gateway has announced, kept in the journal
 * (docs/home-assistant.md#removal). HA forgets an entity only when its config
 * topic gets an empty retained payload, so the gateway must know, after any
 * restart, what it announced under an older config. The journal is the one
 * place that survives both a restart and the embedded broker's retained store
 * starting empty; listening on the broker for old configs at start would wait
 * an arbitrary time, and would find nothing after such a restart while HA still
 * shows the entities.
 */
export function createDiscoveryIndex(db: SqliteDatabase) {
  // the table is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const all = db.prepare<[], { topic: string }>('SELECT topic FROM ha_discovery ORDER BY topic')
  const insert = db.prepare('INSERT OR IGNORE INTO ha_discovery (topic, published_at) VALUES (?, ?)')
  const remove = db.prepare('DELETE FROM ha_discovery WHERE topic = ?')
  return {
    topics: (): string[] => all.all().map((r) => r.topic),
    /** Recorded before they are published, so a crash between the two leaves nothing unknown on the broker. */
    add: db.transaction((topics: readonly string[], at: number) => {
      for (const topic of topics) insert.run(topic, at)
    }),
    /** Forgotten only once their removal has been published. */
    remove: db.transaction((topics: readonly string[]) => {
      for (const topic of topics) remove.run(topic)
    }),
  }
}

export type DiscoveryIndex = ReturnType<typeof createDiscoveryIndex>
