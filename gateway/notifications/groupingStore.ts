import { ALARM_KINDS, type Alarm, type AlarmKind } from '../core/alarm.js'
import type { SqliteDatabase } from '../storage/database.js'

/** Identifies one grouping window: channel + kind + when it opened. */
export interface WindowKey {
  readonly channel: string
  readonly kind: AlarmKind
  readonly startMs: number
}

/** A window read back from the journal after a restart. */
export interface StoredWindow extends WindowKey {
  readonly endMs: number
  /** Undefined when its row could not be read back. */
  readonly first: Alarm | undefined
  /** The readable held alarms, in the order they were held. */
  readonly held: readonly Alarm[]
  /** Highest `seq` with a row, readable or not (0: the first alarm), so the next held alarm never collides. */
  readonly lastSeq: number
}

/**
 * Grouping windows in the gateway journal, so a digest held back when the
 * gateway is killed still goes out after the restart (docs/requirements.md#rate-limits-and-grouping: never
 * dropped; docs/requirements.md#no-data-loss: `kill -9` loses nothing). One row per alarm of a window:
 * `seq` 0 is its first alarm (already sent), 1… the alarms held for the
 * digest. Rows live until the window ends.
 */
export interface GroupingStore {
  /** A window opened with `first`, which was sent at once. */
  saveOpened(channel: string, startMs: number, endMs: number, first: Alarm): void
  /** `alarm` is held, as the `seq`-th (from 1) alarm of the window of its kind that opened at `startMs`. */
  saveHeld(channel: string, startMs: number, endMs: number, seq: number, alarm: Alarm): void
  /** These windows ended: their rows go, all or none. */
  deleteWindows(keys: readonly WindowKey[]): void
  /** Every window with rows, oldest first; a row that cannot be read is skipped. */
  loadWindows(): StoredWindow[]
}

interface Row {
  channel: string
  kind: string
  start_ms: number
  seq: number
  end_ms: number
  alarm_id: string
  alarm_json: string
}

/** A StoredWindow while its rows are read. */
interface Loading extends WindowKey {
  readonly endMs: number
  first: Alarm | undefined
  readonly held: Alarm[]
  lastSeq: number
}

export function createGroupingStore(db: SqliteDatabase): GroupingStore {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const insert = db.prepare<[string, string, number, number, number, string, string]>(
    `INSERT INTO notification_group (channel, kind, start_ms, seq, end_ms, alarm_id, alarm_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  )
  const remove = db.prepare<[string, string, number]>(
    'DELETE FROM notification_group WHERE channel = ? AND kind = ? AND start_ms = ?',
  )
  const selectAll = db.prepare<[], Row>(
    `SELECT channel, kind, start_ms, seq, end_ms, alarm_id, alarm_json FROM notification_group
     ORDER BY start_ms, channel, kind, seq`,
  )
  const removeAll = db.transaction((keys: readonly WindowKey[]) => {
    for (const k of keys) remove.run(k.channel, k.kind, k.startMs)
  })

  return {
    saveOpened(channel, startMs, endMs, first) {
      insert.run(channel, first.kind, startMs, 0, endMs, first.id, JSON.stringify(first))
    },
    saveHeld(channel, startMs, endMs, seq, alarm) {
      insert.run(channel, alarm.kind, startMs, seq, endMs, alarm.id, JSON.stringify(alarm))
    },
    deleteWindows(keys) {
      if (keys.length > 0) removeAll(keys)
    },
    loadWindows() {
      const windows = new Map<string, Loading>()
      for (const row of selectAll.all()) {
        if (!isAlarmKind(row.kind)) continue
        const key = `${row.channel}\u0000${row.kind}\u0000${row.start_ms}`
        let w = windows.get(key)
        if (w === undefined) {
          w = {
            channel: row.channel,
            kind: row.kind,
            startMs: row.start_ms,
            endMs: row.end_ms,
            first: undefined,
            held: [],
            lastSeq: 0,
          }
          windows.set(key, w)
        }
        w.lastSeq = Math.max(w.lastSeq, row.seq)
        const alarm = parseAlarm(row)
        if (alarm === undefined) continue
        if (row.seq === 0) w.first = alarm
        else w.held.push(alarm)
      }
      return [...windows.values()]
    },
  }
}

function isAlarmKind(kind: string): kind is AlarmKind {
  return (ALARM_KINDS as readonly string[]).includes(kind)
}

/** The row's alarm, or undefined when its JSON is unreadable or is not the alarm the row names. */
function parseAlarm(row: Row): Alarm | undefined {
  let value: unknown
  try {
    value = JSON.parse(row.alarm_json)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const alarm = value as Partial<Alarm>
  return alarm.id === row.alarm_id && alarm.kind === row.kind ? (value as Alarm) : undefined
}
