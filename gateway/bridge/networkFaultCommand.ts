import type { NetworkFault } from '../core/networkFault.js'
import { estimate, FAULT_ID_PATTERN, localized, MAX_FAULT_TEXT } from '../networkFaults/faultFields.js'
import { MAX_COMMAND_BYTES, MAX_COMMAND_ID, parseObject, text } from './centralCommand.js'

/** The centre declares or clears a network fault (docs/requirements.md#network-fault), checked. */
export interface NetworkFaultCommand {
  readonly commandId: string
  readonly faultId: string
  readonly by: string
  readonly action: 'declare' | 'clear'
  /** Declare only. */
  readonly fault: NetworkFault | null
}

/** Why a message is not a network fault command we act on, with what was read of it. */
export interface NetworkFaultCommandProblem {
  readonly result: 'refused' | 'invalid'
  readonly error: string
  readonly commandId: string | null
  readonly action: string | null
  readonly faultId: string | null
}

/** The path under the command root: `network-faults/<faultId>/declare|clear`. */
export const NETWORK_FAULT_COMMANDS = 'network-faults'
const FAULT_ID = new RegExp(FAULT_ID_PATTERN)

/**
 * Reads `<commandRoot>network-faults/<faultId>/declare` with a JSON body `commandId`, `by`, `area`,
 * `services` (each a string or `{"zh-CN","en"}`) and `expectedRecoveryAt` (ISO 8601, optional), or
 * `…/clear` with `commandId` and `by`. Another store's topic is refused; anything malformed is invalid,
 * with what was expected.
 */
export function parseNetworkFaultCommand(
  commandRoot: string,
  topic: string,
  payload: Buffer,
  now: number,
): NetworkFaultCommand | NetworkFaultCommandProblem {
  const problem = (result: 'refused' | 'invalid', error: string, read: Partial<NetworkFaultCommandProblem> = {}) => ({
    result,
    error,
    commandId: read.commandId ?? null,
    action: read.action ?? null,
    faultId: read.faultId ?? null,
  })
  if (!topic.startsWith(commandRoot)) return problem('refused', 'not this store’s command topic')
  const path = topic.slice(commandRoot.length).split('/')
  const [collection, faultId, action] = path
  if (
    path.length !== 3 ||
    collection !== NETWORK_FAULT_COMMANDS ||
    !faultId ||
    !FAULT_ID.test(faultId) ||
    (action !== 'declare' && action !== 'clear')
  ) {
    return problem('invalid', 'expected commands/network-faults/<faultId: 1–64 of A-Z a-z 0-9 . _ ->/declare or /clear')
  }
  if (payload.length > MAX_COMMAND_BYTES) return problem('invalid', `body over ${MAX_COMMAND_BYTES} bytes`)
  const body = parseObject(payload)
  const commandId = typeof body?.commandId === 'string' && body.commandId !== '' ? body.commandId : null
  const read = { commandId, action, faultId }
  if (!body || commandId === null || commandId.length > MAX_COMMAND_ID) {
    return problem('invalid', `body must be a JSON object with a commandId (1–${MAX_COMMAND_ID} characters)`, read)
  }
  const by = text(body.by, 64)
  if (by === null) return problem('invalid', 'body needs "by": the operator at the centre', read)
  if (action === 'clear') return { commandId, faultId, by, action, fault: null }
  const area = localized(body.area)
  if (area === null) return problem('invalid', `"area" must be a text or {"zh-CN","en"} of 1–${MAX_FAULT_TEXT}`, read)
  const services = localized(body.services)
  if (services === null)
    return problem('invalid', `"services" must be a text or {"zh-CN","en"} of 1–${MAX_FAULT_TEXT}`, read)
  const expectedRecoveryAt = estimate(body.expectedRecoveryAt, now)
  if (expectedRecoveryAt === undefined) {
    return problem(
      'invalid',
      '"expectedRecoveryAt" must be an ISO 8601 time between now and 31 days ahead, or null',
      read,
    )
  }
  return { commandId, faultId, by, action, fault: { id: faultId, area, services, expectedRecoveryAt } }
}

export function isNetworkFaultProblem(
  parsed: NetworkFaultCommand | NetworkFaultCommandProblem,
): parsed is NetworkFaultCommandProblem {
  return 'result' in parsed
}
