import { estimate } from '../networkFaults/faultFields.js'

/** A command from the centre, checked and ready to act on. */
export interface CentralCommand {
  readonly commandId: string
  readonly alarmId: string
  readonly by: string
  readonly note: string | null
  readonly action: 'ack' | 'shelve' | 'estimate'
  /** Shelve only. */
  readonly durationSec: number
  readonly reason: string
  /** Estimate only: when the fault should be over, ms; null takes an estimate back. */
  readonly expectedRecoveryAt: number | null
}

const ACTIONS: ReadonlySet<string> = new Set(['ack', 'shelve', 'estimate'])

/** Why a message is not a command we act on; `commandId`, `action`, `alarmId` as far as they were read. */
export interface CommandProblem {
  readonly result: 'refused' | 'invalid'
  readonly error: string
  readonly commandId: string | null
  readonly action: string | null
  readonly alarmId: string | null
}

export const MAX_COMMAND_BYTES = 4096
export const MAX_COMMAND_ID = 128

/**
 * Reads `<commandRoot>alarms/<alarmId>/ack|shelve|estimate` and its JSON body
 * (`commandId`, `by`, `note`; shelve: `durationSec`, `reason`; estimate:
 * `expectedRecoveryAt`, ISO 8601 or null, docs/requirements.md#network-fault). A topic
 * outside `commandRoot` — another store's — is refused; anything else
 * malformed is invalid, with what was expected.
 */
export function parseCentralCommand(
  commandRoot: string,
  topic: string,
  payload: Buffer,
  maxShelveSec: number,
  now: number = Date.now(),
): CentralCommand | CommandProblem {
  const problem = (result: CommandProblem['result'], error: string, read: Partial<CommandProblem> = {}) => ({
    result,
    error,
    commandId: read.commandId ?? null,
    action: read.action ?? null,
    alarmId: read.alarmId ?? null,
  })
  if (!topic.startsWith(commandRoot)) return problem('refused', 'not this store’s command topic')
  const path = topic.slice(commandRoot.length).split('/')
  const [collection, alarmId, action] = path
  if (path.length !== 3 || collection !== 'alarms' || !alarmId || action === undefined || !ACTIONS.has(action)) {
    return problem('invalid', 'expected commands/alarms/<alarmId>/ack, /shelve or /estimate')
  }
  if (payload.length > MAX_COMMAND_BYTES) return problem('invalid', `body over ${MAX_COMMAND_BYTES} bytes`)
  const body = parseObject(payload)
  const commandId = typeof body?.commandId === 'string' && body.commandId !== '' ? body.commandId : null
  const read = { commandId, action, alarmId }
  if (!body || commandId === null || commandId.length > MAX_COMMAND_ID) {
    return problem('invalid', `body must be a JSON object with a commandId (1–${MAX_COMMAND_ID} characters)`, read)
  }
  const by = text(body.by, 64)
  if (by === null) return problem('invalid', 'body needs "by": the operator at the centre', read)
  const note = text(body.note, 500)
  const none = { durationSec: 0, reason: '', expectedRecoveryAt: null }
  if (action === 'ack') return { commandId, alarmId, by, note, action, ...none }
  if (action === 'estimate') {
    // a misspelt key must not read as "no estimate" and take the centre's time back
    if (!('expectedRecoveryAt' in body)) {
      return problem('invalid', '"expectedRecoveryAt" is required: an ISO 8601 time, or null to take it back', read)
    }
    const at = estimate(body.expectedRecoveryAt, now)
    if (at === undefined) {
      return problem(
        'invalid',
        '"expectedRecoveryAt" must be an ISO 8601 time between now and 31 days ahead, or null',
        read,
      )
    }
    return { commandId, alarmId, by, note, action, ...none, expectedRecoveryAt: at }
  }
  const { durationSec } = body
  if (typeof durationSec !== 'number' || !(durationSec > 0) || durationSec > maxShelveSec) {
    return problem('invalid', `durationSec must be a number in (0, ${maxShelveSec}]`, read)
  }
  const reason = text(body.reason, 500)
  if (reason === null) return problem('invalid', 'shelving needs a reason', read)
  return { commandId, alarmId, by, note, action: 'shelve', durationSec, reason, expectedRecoveryAt: null }
}

export function isCommandProblem(parsed: CentralCommand | CommandProblem): parsed is CommandProblem {
  return 'result' in parsed
}

/** A non-blank string, trimmed and cut to `max` characters; null otherwise. */
export function text(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null
}

export function parseObject(payload: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
