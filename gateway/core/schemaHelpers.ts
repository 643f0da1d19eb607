import { Type as T } from '@sinclair/typebox'

/** A string enum that keeps its literal type (T.Union of mapped literals widens to string). */
export function enumOf<V extends string>(
  values: readonly V[],
  options: { default?: NoInfer<V>; description?: string } = {},
) {
  return T.Unsafe<V>({ type: 'string', enum: [...values], ...options })
}

/** A config id: lower-case, short, safe in topics, tags and file names. */
export const id = (description: string) =>
  T.String({
    pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
    description: `${description} (lower-case letters, digits, - and _)`,
  })

/**
 * `$7$iterations$salt$hash` (PBKDF2-SHA512) as printed by `storeguard hash-secret` or written by
 * `mosquitto_passwd`, or an older StoreGuard `scrypt$N$r$p$salt$hash` (gateway/security/secretHash.ts).
 */
export const secretHash = T.String({
  pattern:
    '^(\\$7\\$\\d+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+|scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+)$',
  description: 'hash from `storeguard hash-secret` or mosquitto_passwd (never the plain secret)',
})

/**
 * Battery thresholds, settable per device (devices/deviceSchema.ts) and per store or device type
 * (rules/batteryLow.ts); here because devices/ and rules/ may import only gateway/core.
 */
export const lowBatteryPct = (description: string) => T.Number({ minimum: 0, maximum: 100, description })
export const lowBatteryMv = (description: string) => T.Number({ minimum: 0, description })
