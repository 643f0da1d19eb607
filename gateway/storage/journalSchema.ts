import type Database from 'better-sqlite3'
import type { Logger } from '../log.js'
import { type Migration, type MigrationResult, migrate } from './migrations.js'

/*
 * The schema of the journal file (storeguard.db), one list for the whole file.
 * Every store's tables share the file, and SQLite gives a file one
 * user_version, so the versions here are the file's: a new column for any
 * store is the next entry below, whichever store it is for. A migration that
 * changes two stores' tables together stays one step. To add one, see
 * docs/journal-migrations.md.
 *
 * Version 1 is the schema as it was before versions existed, statement for
 * statement, IF NOT EXISTS included: it must adopt a file of that release
 * (user_version 0, its tables already there) without touching its rows.
 */

const ALARMS = `
    CREATE TABLE IF NOT EXISTS alarms (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      state TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS alarms_open ON alarms (state) WHERE state <> 'closed';
    CREATE TABLE IF NOT EXISTS alarm_journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      alarm_id TEXT NOT NULL,
      action TEXT NOT NULL,
      by TEXT NOT NULL,
      at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS alarm_journal_alarm ON alarm_journal (alarm_id, seq);
  `

const NOTICES = `
    CREATE TABLE IF NOT EXISTS notices (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      active INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notices_active ON notices (active) WHERE active = 1;
  `

const TICKETS = `
    CREATE TABLE IF NOT EXISTS tickets (
      id TEXT PRIMARY KEY,
      device_id TEXT NOT NULL,
      status TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS tickets_status ON tickets (status, opened_at);
    CREATE TABLE IF NOT EXISTS ticket_journal (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      ticket_id TEXT NOT NULL,
      action TEXT NOT NULL,
      by TEXT NOT NULL,
      at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ticket_journal_ticket ON ticket_journal (ticket_id, seq);
  `

const JOB_RUNS = `
    CREATE TABLE IF NOT EXISTS job_runs (
      job TEXT PRIMARY KEY,
      occurrence_ms INTEGER NOT NULL,
      ran_at_ms INTEGER NOT NULL
    );
  `

const OUTBOX = `
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      channel TEXT NOT NULL,
      dedup_key TEXT NOT NULL,
      payload TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      last_error TEXT,
      finished_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (channel, seq) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS outbox_pending_expiry ON outbox (expires_at) WHERE status = 'pending';
    CREATE INDEX IF NOT EXISTS outbox_dedup ON outbox (channel, dedup_key);
    CREATE INDEX IF NOT EXISTS outbox_finished ON outbox (finished_at) WHERE status <> 'pending';
  `

const NOTIFICATION_GROUPS = `
    CREATE TABLE IF NOT EXISTS notification_group (
      channel TEXT NOT NULL,
      kind TEXT NOT NULL,
      start_ms INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      alarm_id TEXT NOT NULL,
      alarm_json TEXT NOT NULL,
      PRIMARY KEY (channel, kind, start_ms, seq)
    )
  `

const NOTIFICATION_ESCALATIONS = `
    CREATE TABLE IF NOT EXISTS notification_escalation (
      alarm_id TEXT NOT NULL,
      level INTEGER NOT NULL,
      sent_at INTEGER NOT NULL,
      PRIMARY KEY (alarm_id, level)
    )
  `

const UPLINK = `
    CREATE TABLE IF NOT EXISTS uplink (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      topic TEXT NOT NULL,
      payload BLOB NOT NULL,
      retain INTEGER NOT NULL,
      kind TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS uplink_kind ON uplink (kind, seq);
    CREATE INDEX IF NOT EXISTS uplink_retained ON uplink (topic, seq) WHERE retain = 1;
  `

const BRIDGE_COMMANDS = `CREATE TABLE IF NOT EXISTS bridge_commands (
    command_id TEXT PRIMARY KEY, reply TEXT NOT NULL, at INTEGER NOT NULL)`

/** The journal's own room check after an outage (see the replay in journal.ts). */
const JOURNAL_PROBE =
  'CREATE TABLE IF NOT EXISTS journal_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, room BLOB)'

/** Every table of the first release, in the order the gateway used to create them. */
const FIRST_RELEASE = [
  ALARMS,
  NOTICES,
  TICKETS,
  JOB_RUNS,
  OUTBOX,
  NOTIFICATION_GROUPS,
  NOTIFICATION_ESCALATIONS,
  UPLINK,
  BRIDGE_COMMANDS,
  JOURNAL_PROBE,
]

export const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tables of the release before schema versions',
    up(db) {
      for (const sql of FIRST_RELEASE) db.exec(sql)
    },
  },
  {
    version: 2,
    description: 'closed alarms indexed by closing time for the history view',
    // a closed alarm's updated_at is when it closed: the history pages by it, newest first
    up: (db) => db.exec(`CREATE INDEX alarms_closed ON alarms (updated_at, id) WHERE state = 'closed'`),
  },
  {
    version: 3,
    description: 'Home Assistant discovery topics the gateway has published',
    // docs/home-assistant.md#removal: what was announced must be cleared once its device leaves the config
    // a cleared topic is kept, so an HA that was away when it was cleared is told again when it comes back
    up: (db) =>
      db.exec('CREATE TABLE ha_discovery (topic TEXT PRIMARY KEY, published_at INTEGER NOT NULL, cleared_at INTEGER)'),
  },
]

/**
 * Brings a connection to the journal's current schema: the file at open, a
 * fresh connection when the disk is back, and each in-memory stand-in for it.
 * `file` names it in logs and in the error for a file newer than this code.
 */
export function migrateJournal(
  db: Database.Database,
  file: string,
  log?: Logger,
  migrations: readonly Migration[] = JOURNAL_MIGRATIONS,
): MigrationResult {
  return migrate(db, migrations, log ? { file, log } : { file })
}
