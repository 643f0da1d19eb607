import type { Ticket, TicketAction, TicketStatus } from '../core/ticket.js'
import type { SqliteDatabase } from '../storage/database.js'

/**
 * Tickets and every version of them in SQLite. `save` writes the ticket and
 * its journal entry in one transaction, before anything is published (STYLE
 * §3), so after `kill -9` a ticket, and every reminder it has had, is either
 * fully recorded or not at all: a restart never repeats or skips one.
 */
export function createTicketStore(db: SqliteDatabase) {
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const upsert = db.prepare(
    `INSERT INTO tickets (id, device_id, status, opened_at, updated_at, doc)
     VALUES (@id, @deviceId, @status, @openedAt, @updatedAt, @doc)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, doc = excluded.doc`,
  )
  const journal = db.prepare(
    'INSERT INTO ticket_journal (ticket_id, action, by, at, doc) VALUES (@ticketId, @action, @by, @at, @doc)',
  )
  const selectOpen = db.prepare<[], { doc: string }>(
    `SELECT doc FROM tickets WHERE status IN ('open', 'acknowledged', 'in_progress') ORDER BY opened_at`,
  )
  const selectOne = db.prepare<[string], { doc: string }>('SELECT doc FROM tickets WHERE id = ?')
  const selectByStatus = db.prepare<[string, number], { doc: string }>(
    'SELECT doc FROM tickets WHERE status = ? ORDER BY opened_at DESC LIMIT ?',
  )
  const selectAll = db.prepare<[number], { doc: string }>('SELECT doc FROM tickets ORDER BY opened_at DESC LIMIT ?')
  const save = db.transaction((ticket: Ticket, action: TicketAction, by: string) => {
    const doc = JSON.stringify(ticket)
    upsert.run({
      id: ticket.id,
      // a hand-opened ticket has no device; the column predates it and is never queried by device
      deviceId: ticket.deviceId ?? '',
      status: ticket.status,
      openedAt: ticket.openedAt,
      updatedAt: ticket.updatedAt,
      doc,
    })
    journal.run({ ticketId: ticket.id, action, by, at: ticket.updatedAt, doc })
  })
  const parse = (row: { doc: string }) => withTicketDefaults(JSON.parse(row.doc) as Ticket)

  return {
    save: (ticket: Ticket, action: TicketAction, by: string): void => save(ticket, action, by),
    /** Tickets still waiting for a repair, oldest first. */
    open: (): Ticket[] => selectOpen.all().map(parse),
    get: (id: string): Ticket | undefined => {
      const row = selectOne.get(id)
      return row === undefined ? undefined : parse(row)
    },
    /** Newest first; every status when `status` is undefined. */
    list: (status: TicketStatus | undefined, limit: number): Ticket[] =>
      (status === undefined ? selectAll.all(limit) : selectByStatus.all(status, limit)).map(parse),
  }
}

export type TicketStore = ReturnType<typeof createTicketStore>

/** A ticket journaled before every facility could have one (docs/requirements.md#ticketable-facilities) was a terminal's, opened by its rule. */
function withTicketDefaults(ticket: Ticket): Ticket {
  if ('source' in ticket) return ticket
  return {
    ...(ticket as Omit<Ticket, 'deviceType' | 'source' | 'facility'>),
    deviceType: 'terminal',
    source: 'rule',
    facility: null,
  }
}
