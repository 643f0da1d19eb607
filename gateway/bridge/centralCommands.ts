import { isStoreGuardError } from '../core/errors.js'
import type { AlarmCommands } from '../core/ports.js'
import type { Role } from '../core/roles.js'
import { seesAlarm } from '../core/silentAlarms.js'
import type { NetworkFaults } from '../networkFaults/networkFaults.js'
import type { RecoveryEstimates } from '../networkFaults/recoveryEstimates.js'
import type { SqliteDatabase } from '../storage/database.js'
import { isCommandProblem, parseCentralCommand } from './centralCommand.js'
import { isNetworkFaultProblem, NETWORK_FAULT_COMMANDS, parseNetworkFaultCommand } from './networkFaultCommand.js'

/** What a command from the centre came to. */
export type CommandResult = 'done' | 'refused' | 'invalid' | 'not_found' | 'rejected'

export interface CommandReply {
  readonly commandId: string | null
  readonly action: string | null
  readonly alarmId: string | null
  /** Network fault commands only (docs/requirements.md#network-fault). */
  readonly faultId?: string | null
  readonly result: CommandResult
  readonly error: string | null
  readonly at: string
}

export interface CentralCommandsOptions {
  readonly db: SqliteDatabase
  readonly topicPrefix: string
  readonly alarms: Pick<AlarmCommands, 'ack' | 'shelve' | 'get'>
  /**
   * What a central operator may do to this store's alarms (config `bridge.commands.role`). Network
   * faults do not depend on it: the centre (its machine room) is who confirms a base-station fault
   * (docs/requirements.md#network-fault), where in the store only a manager may.
   */
  readonly role: Role
  readonly maxShelveSec: number
  /** Network faults the centre declares and clears (docs/requirements.md#network-fault); refused without. */
  readonly faults?: Pick<NetworkFaults, 'declare' | 'clear'>
  /** Recovery estimates the centre gives for a power cut or system fault; `estimate` is refused without. */
  readonly estimates?: Pick<RecoveryEstimates, 'set'>
  readonly now: () => number
  /** Every command that reached the gateway, and what came of it (the reply goes back to the centre). */
  readonly replied: (reply: CommandReply, topic: string) => void
}

const KEEP_COMMAND_IDS_MS = 7 * 24 * 3600 * 1000

/**
 * Commands from the centre (docs/requirements.md#upstream-bridge): acknowledge and shelve an alarm, or
 * estimate when a power cut or system fault is over, on
 * `<prefix>/commands/alarms/<alarmId>/ack|shelve|estimate`; declare and clear a network fault on
 * `<prefix>/commands/network-faults/<faultId>/declare|clear` (docs/requirements.md#network-fault). Each has a
 * JSON body with a `commandId` and the operator (`by`). Accepted only on this store's own
 * command topic — a command for another store, however it got here, is
 * refused and changes nothing. A repeated `commandId` (QoS 1 redelivery after
 * a reconnection) is answered with the first result and not done twice.
 */
export function createCentralCommands(options: CentralCommandsOptions) {
  const { db, alarms } = options
  const commandRoot = `${options.topicPrefix}/commands/`
  // the schema is the journal's migrations (storage/journalSchema.ts), applied when the file opens
  const selectReply = db.prepare<[string], { reply: string }>('SELECT reply FROM bridge_commands WHERE command_id = ?')
  const insertReply = db.prepare<[string, string, number]>(
    'INSERT OR REPLACE INTO bridge_commands (command_id, reply, at) VALUES (?, ?, ?)',
  )
  const purge = db.prepare<[number]>('DELETE FROM bridge_commands WHERE at < ?')

  /** The first reply to a command id, or null when it is new. */
  const earlierReply = (commandId: string): CommandReply | null => {
    const earlier = selectReply.get(commandId)
    return earlier ? (JSON.parse(earlier.reply) as CommandReply) : null
  }
  const remember = (done: CommandReply): CommandReply => {
    if (done.commandId !== null) insertReply.run(done.commandId, JSON.stringify(done), options.now())
    return done
  }

  /** docs/requirements.md#network-fault: the centre declares a fault (notices up) or clears it (notices down). */
  const executeNetworkFault = (topic: string, payload: Buffer, at: string): CommandReply => {
    const parsed = parseNetworkFaultCommand(commandRoot, topic, payload, options.now())
    if (isNetworkFaultProblem(parsed)) return { ...parsed, alarmId: null, at }
    const { commandId, action, faultId } = parsed
    const done = (result: CommandResult, error: string | null) =>
      remember({ commandId, action, alarmId: null, faultId, result, error, at })
    const faults = options.faults
    if (!faults)
      return { commandId, action, alarmId: null, faultId, result: 'refused', error: 'no network faults here', at }
    const earlier = earlierReply(commandId)
    if (earlier) return earlier
    const who = `central:${parsed.by}`
    try {
      if (parsed.fault) faults.declare(parsed.fault, who)
      else faults.clear(faultId, who)
      return done('done', null)
    } catch (err) {
      if (!isStoreGuardError(err)) throw err
      return done(err.code === 'network_fault_not_found' ? 'not_found' : 'rejected', err.code)
    }
  }

  const execute = (topic: string, payload: Buffer): CommandReply => {
    const at = new Date(options.now()).toISOString()
    if (topic.startsWith(`${commandRoot}${NETWORK_FAULT_COMMANDS}/`)) return executeNetworkFault(topic, payload, at)
    const parsed = parseCentralCommand(commandRoot, topic, payload, options.maxShelveSec, options.now())
    // a malformed command is answered but not remembered: the centre may send it again, mended, under its id
    if (isCommandProblem(parsed)) return { ...parsed, at }
    const earlier = earlierReply(parsed.commandId)
    if (earlier) return earlier
    const reply = (result: CommandResult, error: string | null): CommandReply =>
      remember({ commandId: parsed.commandId, action: parsed.action, alarmId: parsed.alarmId, result, error, at })
    const alarm = alarms.get(parsed.alarmId)
    // the silent (robbery) alarm is for managers only, by the same rule as the API and the console
    if (!alarm || !seesAlarm(options.role, alarm)) {
      return reply('not_found', `no open alarm ${parsed.alarmId}`)
    }
    const who = `central:${parsed.by}`
    if (parsed.action === 'estimate') {
      // docs/requirements.md#network-fault: the customer notice says when, from the next rule tick on
      if (!options.estimates) return reply('refused', 'no recovery estimates here')
      const taken = options.estimates.set(alarm, parsed.expectedRecoveryAt)
      return taken ? reply('done', null) : reply('rejected', `a ${alarm.kind} alarm has no recovery estimate`)
    }
    try {
      if (parsed.action === 'ack') alarms.ack(parsed.alarmId, who, parsed.note)
      else alarms.shelve(parsed.alarmId, who, options.now() + parsed.durationSec * 1000, parsed.reason)
      return reply('done', null)
    } catch (err) {
      if (!isStoreGuardError(err)) throw err
      return reply(err.code === 'alarm_not_found' ? 'not_found' : 'rejected', err.code)
    }
  }

  return {
    /** The subscriptions for this store's commands, on the central broker. */
    filters: [`${commandRoot}alarms/+/+`, `${commandRoot}${NETWORK_FAULT_COMMANDS}/+/+`],
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
