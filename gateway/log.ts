import { type DestinationStream, type Logger, pino } from 'pino'

export type { Logger }

/** STYLE §5: secrets are in pino's redact paths, wherever they appear. */
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'passwordHash',
  '*.passwordHash',
  'tokenHash',
  '*.tokenHash',
]

/** The root logger; modules take `log.child({ mod })`. `destination` lets tests read real output. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'storeguard' } }
  return destination ? pino(options, destination) : pino(options)
}

/**
 * Logs one line per key at most every `intervalMs`, and says how many were
 * suppressed meanwhile: SPEC §9 bad input is "logged at a bounded rate".
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
