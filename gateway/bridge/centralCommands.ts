import { isStoreGuardError } from '../core/errors.js'
import { type Role, roleAtLeast } from '../core/roles.js'
import type { AlarmCommands } from '../http/apiPorts.js'
import type { SqliteDatabase } from '../storage/database.js'

/** What a command from the centre came to. */
export type CommandResult = 'done' | 'refused' | 'invalid' | 'not_found' | 'rejected'

export interface CommandReply {
  readonly commandId: string | null
  readonly action: string | null
  readonly alarmId: string | null
  readonly result: CommandResult
  readonly error: string | null
  readonly at: string
}

export interface CentralCommandsOptions {
  readonly db: SqliteDatabase
  readonly topicPrefix: string
  readonly alarms: Pick<AlarmCommands, 'ack' | 'shelve' | 'get'>
  /** What a central operator may do here (config `bridge.commands.role`). */
  readonly role: Role
  readonly maxShelveSec: number
  readonly now: () => number
  /** Every command that reached the gateway, and what came of it (the reply goes back to the centre). */
  readonly replied: (reply: CommandReply, topic: string) => void
}

const MAX_COMMAND_BYTES = 4096
const KEEP_COMMAND_IDS_MS = 7 * 24 * 3600 * 1000

/**
 * Commands from the centre (issue 10 §3): acknowledge and shelve an alarm, on
 * `<prefix>/commands/alarms/<alarmId>/ack|shelve`, a JSON body with a
 * `commandId` and the operator (`by`). Accepted only on this store's own
 * command topic — a command for another store, however it got here, is
 * refused and changes nothing. A repeated `commandId` (QoS 1 redelivery after
 * a reconnection) is answered with the first result and not done twice.
 */
export function createCentralCommands(options: CentralCommandsOptions) {
  const { db, alarms } = options
  const commandRoot = `${options.topicPrefix}/commands/`
  db.exec(`CREATE TABLE IF NOT EXISTS bridge_commands (
    command_id TEXT PRIMARY KEY, reply TEXT NOT NULL, at INTEGER NOT NULL)`)
  const selectReply = db.prepare<[string], { reply: string }>('SELECT reply FROM bridge_commands WHERE command_id = ?')
  const insertReply = db.prepare<[string, string, number]>(
    'INSERT OR REPLACE INTO bridge_commands (command_id, reply, at) VALUES (?, ?, ?)',
  )
  const purge = db.prepare<[number]>('DELETE FROM bridge_commands WHERE at < ?')

  const execute = (topic: string, payload: Buffer): CommandReply => {
    const at = new Date(options.now()).toISOString()
    const reply = (
      result: CommandResult,
      error: string | null,
      parsed: { commandId?: string | null; action?: string | null; alarmId?: string | null } = {},
    ): CommandReply => ({
      commandId: parsed.commandId ?? null,
      action: parsed.action ?? null,
      alarmId: parsed.alarmId ?? null,
      result,
      error,
      at,
    })
    if (!topic.startsWith(commandRoot)) return reply('refused', 'not this store’s command topic')
    const path = topic.slice(commandRoot.length).split('/')
    const [collection, alarmId, action] = path
    if (path.length !== 3 || collection !== 'alarms' || !alarmId || (action !== 'ack' && action !== 'shelve')) {
      return reply('invalid', 'expected commands/alarms/<alarmId>/ack or /shelve')
    }
    if (payload.length > MAX_COMMAND_BYTES) return reply('invalid', `body over ${MAX_COMMAND_BYTES} bytes`)
    const body = parseObject(payload)
    const commandId = typeof body?.commandId === 'string' && body.commandId !== '' ? body.commandId : null
    const parsed = { commandId, action, alarmId }
    if (!body || commandId === null || commandId.length > 128) {
      return reply('invalid', 'body must be a JSON object with a commandId (1–128 characters)', parsed)
    }
    const earlier = selectReply.get(commandId)
    if (earlier) return JSON.parse(earlier.reply) as CommandReply
    const by = typeof body.by === 'string' && body.by.trim() !== '' ? body.by.trim().slice(0, 64) : null
    if (by === null) return remember(reply('invalid', 'body needs "by": the operator at the centre', parsed))
    const alarm = alarms.get(alarmId)
    if (!alarm) return remember(reply('not_found', `no open alarm ${alarmId}`, parsed))
    // the silent (robbery) alarm is for managers only, here as in the API and the console
    if (alarm.silent && !roleAtLeast(options.role, 'manager')) {
      return remember(reply('not_found', `no open alarm ${alarmId}`, parsed))
    }
    const who = `central:${by}`
    const note = typeof body.note === 'string' && body.note.trim() !== '' ? body.note.slice(0, 500) : null
    try {
      if (action === 'ack') {
        alarms.ack(alarmId, who, note)
      } else {
        const durationSec = body.durationSec
        const reason = typeof body.reason === 'string' ? body.reason.trim().slice(0, 500) : ''
        if (typeof durationSec !== 'number' || !(durationSec > 0) || durationSec > options.maxShelveSec) {
          return remember(reply('invalid', `durationSec must be a number in (0, ${options.maxShelveSec}]`, parsed))
        }
        if (reason === '') return remember(reply('invalid', 'shelving needs a reason', parsed))
        alarms.shelve(alarmId, who, options.now() + durationSec * 1000, reason)
      }
      return remember(reply('done', null, parsed))
    } catch (err) {
      if (!isStoreGuardError(err)) throw err
      return remember(reply(err.code === 'alarm_not_found' ? 'not_found' : 'rejected', err.code, parsed))
    }
  }
  const remember = (reply: CommandReply): CommandReply => {
    if (reply.commandId !== null) insertReply.run(reply.commandId, JSON.stringify(reply), options.now())
    return reply
  }

  return {
    /** The subscription for this store's commands, on the central broker. */
    filter: `${commandRoot}alarms/+/+`,
    /** Acts on one message from the centre and replies. */
    handle(topic: string, payload: Buffer): CommandReply {
      const reply = execute(topic, payload)
      options.replied(reply, topic)
      return reply
    },
    /** Forgets command ids older than a week. */
    purge: (now: number) => purge.run(now - KEEP_COMMAND_IDS_MS).changes,
  }
}

export type CentralCommands = ReturnType<typeof createCentralCommands>

function parseObject(payload: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
