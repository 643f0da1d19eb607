import type { ReadingValue } from '../../gateway/core/reading.js'
import {
  type DecodedMetric,
  type DecodeRejection,
  type DecodeResult,
  type InvalidField,
  rejected,
} from './decodeResult.js'

/**
 * Generic JSON (docs/requirements.md#mqtt-devices): `{"smoke": true, "battery": 87}`, one metric per key.
 * A list of strings (a terminal's `fault_codes: ["printer", "screen"]`) is one
 * comma-separated string, the same reading as `"printer,screen"`; `[]` is `""`,
 * no codes.
 *
 * A message is read field by field: `{"smoke": true, "battery": null}` gives
 * the smoke reading and reports `battery` as invalid. Whether an invalid field
 * is counted is the adapter's call: it knows which keys are the device type's
 * metrics, and a key that is not one (a diagnostic blob a device adds) is
 * ignored whatever its value, as any extra key is.
 */
export function decodeGenericJson(payload: Buffer): DecodeResult {
  const parsed = parseJsonObject(payload)
  if (!parsed.ok) return parsed
  const { metrics, invalid } = jsonFields(parsed.object)
  if (metrics.length === 0 && invalid.length === 0) return rejected('empty', 'empty JSON object')
  return { ok: true, metrics, invalid }
}

/**
 * Each key of a device's JSON object as a metric, or as an invalid field
 * saying why not; keys `skip` says are no readings are left out. One pass
 * over the parsed object, no array of entries and no filtered copies: this
 * runs for every device message (docs/design.md#hot-path).
 */
export function jsonFields(
  object: Record<string, unknown>,
  skip: (metric: string, value: unknown) => boolean = () => false,
): {
  metrics: DecodedMetric[]
  invalid: InvalidField[]
} {
  const metrics: DecodedMetric[] = []
  const invalid: InvalidField[] = []
  // JSON.parse makes plain objects: every enumerable key is an own key
  for (const metric in object) {
    const value = object[metric]
    if (skip(metric, value)) continue
    const field = fieldValue(metric, value)
    if (typeof field === 'object') invalid.push(field)
    else metrics.push({ metric, value: field })
  }
  return { metrics, invalid }
}

function fieldValue(metric: string, value: unknown): ReadingValue | InvalidField {
  if (typeof value === 'boolean' || typeof value === 'string') return value
  if (typeof value === 'number') {
    // JSON.parse turns `1e999` into Infinity
    return Number.isFinite(value) ? value : { metric, reason: 'out_of_range', detail: `${metric} is not finite` }
  }
  if (value === null) return { metric, reason: 'null_value', detail: `${metric} is null` }
  if (Array.isArray(value)) return stringList(metric, value)
  return { metric, reason: 'wrong_type', detail: `${metric} is an object` }
}

/** The comma-separated string of a list of strings, or why the list is not one. */
function stringList(metric: string, items: readonly unknown[]): string | InvalidField {
  const bad = items.findIndex((item) => typeof item !== 'string')
  if (bad === -1) return items.join(',')
  const got = items[bad] === null ? 'null' : Array.isArray(items[bad]) ? 'array' : typeof items[bad]
  return { metric, reason: 'wrong_type', detail: `${metric}[${bad}] must be a string, got ${got}` }
}

export function parseJsonObject(payload: Buffer): { ok: true; object: Record<string, unknown> } | DecodeRejection {
  if (payload.length === 0) return rejected('empty', 'empty payload')
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch (err) {
    return rejected('malformed_json', (err as Error).message)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
    return rejected('not_an_object', `expected a JSON object, got ${got}`)
  }
  return { ok: true, object: value as Record<string, unknown> }
}
