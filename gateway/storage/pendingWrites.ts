import type { RecordedStatement } from './switchableDatabase.js'

/**
 * The journal's bounded memory queue: one entry per call the file refused
 * (a transaction's statements stay together). It drops the oldest when full:
 * the newest writes carry the current state of each alarm, which is what a
 * restart needs; what was dropped is counted per table so it can be told.
 */
export interface PendingWrites {
  /** Appends; when full, drops the oldest and returns the table it wrote, else null. */
  push(writes: readonly RecordedStatement[]): string | null
  /** The oldest `n` calls (fewer when fewer are held), oldest first. */
  first(n: number): readonly (readonly RecordedStatement[])[]
  /** Forgets the oldest `n`, once they are in the file. */
  drop(n: number): void
  size(): number
  lost(): Readonly<Record<string, number>>
  lostTotal(): number
}

export function createPendingWrites(max: number): PendingWrites {
  const items: (readonly RecordedStatement[])[] = []
  let head = 0
  const lost: Record<string, number> = {}
  let lostTotal = 0

  const compact = () => {
    // an index head instead of Array.shift keeps a long replay linear
    if (head === items.length) {
      items.length = 0
      head = 0
    } else if (head > 1024 && head * 2 > items.length) {
      items.splice(0, head)
      head = 0
    }
  }

  return {
    push(writes) {
      items.push(writes)
      if (items.length - head <= max) return null
      const dropped = items[head]
      head++
      compact()
      const table = tableOf(dropped?.[0]?.source ?? '')
      lost[table] = (lost[table] ?? 0) + 1
      lostTotal++
      return table
    },
    first: (n) => items.slice(head, head + n),
    drop(n) {
      head = Math.min(items.length, head + n)
      compact()
    },
    size: () => items.length - head,
    lost: () => ({ ...lost }),
    lostTotal: () => lostTotal,
  }
}

/** The table a write statement changes, to say what was lost (`alarms`, `outbox`…). */
export function tableOf(sql: string): string {
  const match = /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)/i.exec(sql)
  return match?.[1] ?? 'unknown'
}
