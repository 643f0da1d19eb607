import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino'
import { createLogDestination } from './logDestination.js'
import { createLineRedactor } from './logRedaction.js'

export type { Logger }

/**
 * The root logger; modules take `log.child({ mod })`. It writes to stdout
 * through {@link createLogDestination}, which a lost reader cannot turn
 * against the gateway; `destination` lets tests read real output. Secrets
 * never reach the destination: each finished line has its secret-bearing
 * fields blanked at any depth, child bindings included (pino's own `redact`
 * paths cannot say "any depth"), then loses `secrets` (the config's, from
 * `secretValues`) and whatever a URL carries, in messages and error stacks too.
 */
export function createLogger(level: string, destination?: DestinationStream, secrets: readonly string[] = []): Logger {
  const options: LoggerOptions = {
    level,
    base: { app: 'storeguard' },
    hooks: { streamWrite: createLineRedactor(secrets) },
  }
  return pino(options, destination ?? createLogDestination())
}

/**
 * Logs one line per key at most every `intervalMs`, and says how many were
 * suppressed meanwhile: bad input (docs/requirements.md#bad-input) is "logged at a bounded rate".
 */
export function createRateLimitedLog(log: Logger, intervalMs = 10_000, now: () => number = Date.now) {
  const last = new Map<string, { at: number; suppressed: number }>()
  return (key: string, data: Record<string, unknown>, message: string): void => {
    const t = now()
    const entry = last.get(key)
    if (entry && t - entry.at < intervalMs) {
      entry.suppressed++
      return
    }
    log.warn({ ...data, suppressed: entry?.suppressed ?? 0 }, message)
    last.set(key, { at: t, suppressed: 0 })
  }
}

export type RateLimitedLog = ReturnType<typeof createRateLimitedLog>
