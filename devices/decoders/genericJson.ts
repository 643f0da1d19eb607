import type { ReadingValue } from '../../gateway/core/reading.js'
import type { DecodedMetric, DecodeResult } from './decodeResult.js'

/**
 * SPEC §4 generic JSON: `{"smoke": true, "battery": 87}`, one metric per key.
 * A list of strings (a terminal's `fault_codes: ["printer", "screen"]`) is one
 * comma-separated string, the same reading as `"printer,screen"`; `[]` is `""`,
 * no codes. A list that mixes strings with anything else is a broken list:
 * rejected as `wrong_type`, never half read. Other nested objects and arrays
 * (no string in them) are not metrics and are skipped, not rejected, so a
 * device that adds a diagnostic blob keeps working.
 */
export function decodeGenericJson(payload: Buffer): DecodeResult {
  const parsed = parseJsonObject(payload)
  if (!parsed.ok) return parsed
  const metrics: DecodedMetric[] = []
  for (const [metric, value] of Object.entries(parsed.object)) {
    if (isReadingValue(value)) {
      metrics.push({ metric, value })
      continue
    }
    if (!Array.isArray(value)) continue
    const list = stringList(metric, value)
    if (typeof list === 'object' && list !== null) return list
    if (list !== null) metrics.push({ metric, value: list })
  }
  return { ok: true, metrics }
}

/** The comma-separated string of a list of strings, null for an array that is not one, or the rejection. */
function stringList(metric: string, items: readonly unknown[]): string | null | (DecodeResult & { ok: false }) {
  if (items.length === 0) return ''
  if (!items.some((item) => typeof item === 'string')) return null
  const bad = items.findIndex((item) => typeof item !== 'string')
  if (bad === -1) return items.join(',')
  const got = items[bad] === null ? 'null' : Array.isArray(items[bad]) ? 'array' : typeof items[bad]
  return { ok: false, reason: 'wrong_type', detail: `${metric}[${bad}] must be a string, got ${got}` }
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
