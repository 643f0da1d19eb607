import type { SqliteDatabase } from '../storage/database.js'

/** What the queue may drop first when the centre has been away too long. */
export type UplinkKind = 'state' | 'event' | 'telemetry'

export interface UplinkMessage {
  /** Monotonic across restarts (AUTOINCREMENT never reuses a number). */
  readonly seq: number
  readonly topic: string
  readonly payload: Buffer
  readonly retain: boolean
  readonly kind: UplinkKind
  readonly createdAt: number
}

export type NewUplinkMessage = Omit<UplinkMessage, 'seq'>

interface Row {
  seq: number
  topic: string
  payload: Buffer
  retain: number
  kind: string
  created_at: number
}

/**
 * The bridge's durable queue (docs/requirements.md#upstream-bridge): every message for the centre is
 * committed here before anything is sent, and deleted only after the central
 * broker acknowledged it (PUBACK). mqtt.js keeps unacknowledged messages in
 * memory only, so a `kill -9` or a power cut would lose them; this does not.
 * A crash after the PUBACK but before the delete sends a message twice — the
 * `msgId` in its payload lets the centre drop the second copy.
 */
export function createUplinkStore(db: SqliteDatabase) {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const insert = db.prepare<[string, Buffer, number, string, number]>(
    'INSERT INTO uplink (topic, payload, retain, kind, created_at) VALUES (?, ?, ?, ?, ?)',
  )
  // A retained topic only needs its latest value: older ones not yet handed to the broker go.
  const deleteSuperseded = db.prepare<[string, number]>('DELETE FROM uplink WHERE retain = 1 AND topic = ? AND seq > ?')
  const selectAfter = db.prepare<[number, number], Row>('SELECT * FROM uplink WHERE seq > ? ORDER BY seq LIMIT ?')
  const deleteSeq = db.prepare<[number]>('DELETE FROM uplink WHERE seq = ?')
  const selectCount = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM uplink')
  // read at every health sample and scrape: the head of the queue by its key, not a scan of 100 000 rows
  const selectOldest = db.prepare<[], { at: number }>('SELECT created_at AS at FROM uplink ORDER BY seq LIMIT 1')
  const dropOldestOfKind = db.prepare<[string, number, number]>(
    'DELETE FROM uplink WHERE seq IN (SELECT seq FROM uplink WHERE kind = ? AND seq > ? ORDER BY seq LIMIT ?)',
  )

  let count = selectCount.get()?.n ?? 0

  // Each transaction returns how it changed the count, applied once it has committed: a commit the disk
  // refuses rolls the rows back, and the journal may run the transaction again on its in-memory copy.
  const append = db.transaction((messages: readonly NewUplinkMessage[], sentUpTo: number): number => {
    let delta = 0
    for (const m of messages) {
      if (m.retain) delta -= deleteSuperseded.run(m.topic, sentUpTo).changes
      insert.run(m.topic, m.payload, m.retain ? 1 : 0, m.kind, m.createdAt)
      delta++
    }
    return delta
  })
  const remove = db.transaction((seqs: readonly number[]): number => {
    let delta = 0
    for (const seq of seqs) delta -= deleteSeq.run(seq).changes
    return delta
  })
  // Retained state is never dropped: it is one row per alarm, notice or ticket (a newer value replaces
  // the queued one), and dropping the empty payload of a closed alarm would leave it open at the centre.
  const trim = db.transaction((max: number, sentUpTo: number): number => {
    let dropped = 0
    for (const kind of ['telemetry', 'event'] as const) {
      if (count - dropped <= max) break
      dropped += dropOldestOfKind.run(kind, sentUpTo, count - dropped - max).changes
    }
    return dropped
  })

  return {
    /**
     * Commits `messages` in one transaction. A retained message replaces the
     * queued value of its topic unless that one is already with the broker
     * (seq ≤ `sentUpTo`).
     */
    append: (messages: readonly NewUplinkMessage[], sentUpTo: number): void => {
      count += append(messages, sentUpTo)
    },
    /** The next `limit` messages after `seq`, oldest first. */
    after: (seq: number, limit: number): UplinkMessage[] => selectAfter.all(seq, limit).map(fromRow),
    /** Forgets acknowledged messages. */
    remove: (seqs: readonly number[]): void => {
      count += remove(seqs)
    },
    /** Drops the oldest unsent messages beyond `max`, telemetry first, then events, never retained state; returns how many. */
    trim: (max: number, sentUpTo: number): number => {
      const dropped = trim(max, sentUpTo)
      count -= dropped
      return dropped
    },
    size: (): number => count,
    /** `createdAt` of the oldest queued message, null when empty. */
    oldestAt: (): number | null => selectOldest.get()?.at ?? null,
  }
}

export type UplinkStore = ReturnType<typeof createUplinkStore>

function fromRow(row: Row): UplinkMessage {
  return {
    seq: row.seq,
    topic: row.topic,
    payload: row.payload,
    retain: row.retain === 1,
    kind: row.kind as UplinkKind,
    createdAt: row.created_at,
  }
}
