import { WEATHER_LEVELS, type WeatherLevel, type WeatherWarning } from '../../gateway/core/weather.js'
import type { RejectReason } from './decodeResult.js'
import { parseJsonObject } from './genericJson.js'

export type WeatherDecodeResult =
  | { readonly ok: true; readonly warning: WeatherWarning }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string }

/**
 * A weather warning on `<prefix>/weather` (SPEC §7):
 * `{"kind":"rainstorm","level":"orange","text":"…","validUntil":"2026-07-01T18:00:00+08:00","cancelled":false}`.
 * `kind` and `level` are required; the rest is optional.
 */
export function decodeWeatherWarning(payload: Buffer, receivedAt: number): WeatherDecodeResult {
  const parsed = parseJsonObject(payload)
  if (!parsed.ok) return parsed
  const { kind, level, text, validUntil, cancelled } = parsed.object
  if (typeof kind !== 'string' || kind === '')
    return { ok: false, reason: 'wrong_type', detail: 'kind must be a string' }
  if (!WEATHER_LEVELS.includes(level as WeatherLevel)) {
    return { ok: false, reason: 'wrong_type', detail: `level must be one of ${WEATHER_LEVELS.join(', ')}` }
  }
  const until = typeof validUntil === 'string' ? Date.parse(validUntil) : Number.NaN
  if (validUntil !== undefined && Number.isNaN(until)) {
    return { ok: false, reason: 'wrong_type', detail: 'validUntil must be an ISO 8601 time' }
  }
  return {
    ok: true,
    warning: {
      kind: kind.toLowerCase(),
      level: level as WeatherLevel,
      text: typeof text === 'string' ? text : null,
      receivedAt,
      validUntil: Number.isNaN(until) ? null : until,
      cancelled: cancelled === true,
    },
  }
}
