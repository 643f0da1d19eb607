import type { ReadingValue } from '../../gateway/core/reading.js'
import type { DecodedMetric, DecodeResult } from './decodeResult.js'

/**
 * SPEC §4 generic JSON: `{"smoke": true, "battery": 87}`, one metric per key.
 * Nested objects and arrays are not metrics and are skipped, not rejected, so a
 * device that adds a diagnostic blob keeps working.
 */
export function decodeGenericJson(payload: Buffer): DecodeResult {
  const parsed = parseJsonObject(payload)
  if (!parsed.ok) return parsed
  return { ok: true, metrics: scalarEntries(parsed.object) }
}

export function parseJsonObject(
  payload: Buffer,
): { ok: true; object: Record<string, unknown> } | (DecodeResult & { ok: false }) {
  if (payload.length === 0) return { ok: false, reason: 'empty', detail: 'empty payload' }
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch (err) {
    return { ok: false, reason: 'malformed_json', detail: (err as Error).message }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
    return { ok: false, reason: 'not_an_object', detail: `expected a JSON object, got ${got}` }
  }
  return { ok: true, object: value as Record<string, unknown> }
}

export function scalarEntries(object: Record<string, unknown>): DecodedMetric[] {
  const metrics: DecodedMetric[] = []
  for (const [metric, value] of Object.entries(object)) {
    if (isReadingValue(value)) metrics.push({ metric, value })
  }
  return metrics
}

function isReadingValue(value: unknown): value is ReadingValue {
  return (
    typeof value === 'boolean' || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
  )
}
