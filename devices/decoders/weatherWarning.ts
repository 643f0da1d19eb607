import { WEATHER_LEVELS, type WeatherLevel, type WeatherWarning } from '../../gateway/core/weather.js'
import type { InvalidField, RejectReason } from './decodeResult.js'
import { parseJsonObject } from './genericJson.js'

export type WeatherDecodeResult =
  | { readonly ok: true; readonly warning: WeatherWarning; readonly invalid: readonly InvalidField[] }
  | { readonly ok: false; readonly reason: RejectReason; readonly detail: string }

/**
 * A weather warning on `<prefix>/weather` (docs/requirements.md#mqtt-topics):
 * `{"kind":"rainstorm","level":"orange","text":"…","validUntil":"2026-07-01T18:00:00+08:00","cancelled":false}`.
 * `kind` and `level` are required; the rest is optional. A `text` that is not
 * a string is dropped and reported while the warning is used; a `cancelled`
 * that is not a boolean rejects the whole warning, since reading it as
 * "not cancelled" would raise the very warning the source meant to lift.
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
  if (cancelled !== undefined && typeof cancelled !== 'boolean') {
    return { ok: false, reason: 'wrong_type', detail: 'cancelled must be true or false' }
  }
  const invalid: InvalidField[] = []
  if (text !== undefined && text !== null && typeof text !== 'string') {
    invalid.push({ metric: 'text', reason: 'wrong_type', detail: 'text must be a string' })
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
    invalid,
  }
}
