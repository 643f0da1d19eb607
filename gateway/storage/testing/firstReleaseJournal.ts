import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createAlarmStore } from '../../alarms/alarmStore.js'
import type { Alarm } from '../../core/alarm.js'
import type { Ticket } from '../../core/ticket.js'
import { createOutboxStore } from '../../outbox/outboxStore.js'
import { createTicketStore } from '../../tickets/ticketStore.js'

/**
 * The tables exactly as the release before schema versions created them, in
 * stores of its own. Frozen on purpose: it must keep describing the files
 * deployed gateways hold, whatever the migrations become. The bridge tables
 * and the probe are missing, as on a gateway without a bridge that never had
 * an outage.
 */
const FIRST_RELEASE_TABLES = [
  `
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
  `,
  `
    CREATE TABLE IF NOT EXISTS notices (
      id TEXT PRIMARY KEY,
      key TEXT NOT NULL,
      active INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      doc TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS notices_active ON notices (active) WHERE active = 1;
  `,
  `
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
  `,
  `
    CREATE TABLE IF NOT EXISTS job_runs (
      job TEXT PRIMARY KEY,
      occurrence_ms INTEGER NOT NULL,
      ran_at_ms INTEGER NOT NULL
    );
  `,
  `
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
  `,
  `
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
  `,
  `
    CREATE TABLE IF NOT EXISTS notification_escalation (
      alarm_id TEXT NOT NULL,
      level INTEGER NOT NULL,
      sent_at INTEGER NOT NULL,
      PRIMARY KEY (alarm_id, level)
    )
  `,
]

const at = '2026-11-23T10:00:00.000Z'
export const FIRST_RELEASE_ALARM = {
  id: 'fire-1',
  key: 'fire:hall',
  kind: 'fire',
  state: 'active_unacked',
  raisedAt: at,
  updatedAt: at,
} as Alarm
export const FIRST_RELEASE_TICKET = {
  id: 't1',
  deviceId: 'terminal-1',
  status: 'open',
  openedAt: at,
  updatedAt: at,
} as Ticket

/**
 * Writes `storeguard.db` as a gateway of that release left it (WAL, no
 * user_version), with an open alarm and its history, an open ticket and a
 * pending notification; returns the notification's id.
 */
export function writeFirstReleaseJournal(dataDir: string, fileName = 'storeguard.db'): { notificationId: string } {
  const db = new Database(join(dataDir, fileName))
  try {
    db.pragma('journal_mode = WAL')
    for (const sql of FIRST_RELEASE_TABLES) db.exec(sql)
    const alarms = createAlarmStore(db)
    alarms.save(FIRST_RELEASE_ALARM, 'raised', 'rule:fire')
    alarms.save({ ...FIRST_RELEASE_ALARM, state: 'active_acked' }, 'acked', 'stan')
    createTicketStore(db).save(FIRST_RELEASE_TICKET, 'opened', 'rule:terminal')
    const { notification } = createOutboxStore(db).enqueue(
      { channel: 'sms', dedupKey: 'fire-1', payload: { to: 'x' }, expiresAt: 9e12 },
      1,
    )
    return { notificationId: notification.id }
  } finally {
    db.close()
  }
}
