import type { ReadingValue } from '../../gateway/core/reading.js'
import { type DecodeResult, rejected } from './decodeResult.js'

/**
 * Bare value (docs/requirements.md#mqtt-devices) per metric topic: `.../devices/<id>/smoke` ← `true`.
 * `true`/`false`/`ON`/`OFF` and numbers are typed here (`1`/`0` stay numbers:
 * the adapter reads them as on/off where the metric is boolean); anything
 * else stays a string and the device type decides whether that fits.
 */
export function decodeBareValue(payload: Buffer, metric: string): DecodeResult {
  const text = payload.toString('utf8').trim()
  if (text === '') return rejected('empty', `empty payload for ${metric}`)
  const value = parseBare(text)
  // `1e999` looks like a number and reads as Infinity
  if (typeof value === 'number' && !Number.isFinite(value)) return rejected('out_of_range', `${metric} is not finite`)
  return { ok: true, metrics: [{ metric, value }], invalid: [] }
}

function parseBare(text: string): ReadingValue {
  const lower = text.toLowerCase()
  if (lower === 'true' || lower === 'on') return true
  if (lower === 'false' || lower === 'off') return false
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text)
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) return text.slice(1, -1)
  return text
}
