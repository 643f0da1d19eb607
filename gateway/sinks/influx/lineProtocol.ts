import type { TelemetryPoint } from './points.js'

/**
 * InfluxDB 1.x line protocol, written straight from our points: one string
 * per point, no intermediate objects (node-influx copied every point into
 * its own shape and ran a regex per key and value). Escaping per the 1.x
 * reference: measurement `,` and space; tag keys, tag values and field keys
 * `,` `=` and space; string field values `"` and `\`. Numbers are written as
 * floats (no `i`), as node-influx did, so the field types already in a
 * database stay the same. Timestamps are ms (written with precision=ms).
 */
export function pointToLine(p: TelemetryPoint): string {
  let line = escapeMeasurement(p.measurement)
  for (const key in p.tags) line += `,${escapeKey(key)}=${escapeKey(p.tags[key] as string)}`
  let first = true
  for (const key in p.fields) {
    line += `${first ? ' ' : ','}${escapeKey(key)}=${fieldValue(p.fields[key] as number | boolean | string)}`
    first = false
  }
  return `${line} ${p.ts}`
}

/** Most names and values need no escaping: test before replacing. */
const KEY_SPECIALS = /[,= \\]/
const MEASUREMENT_SPECIALS = /[, \\]/

function escapeKey(text: string): string {
  return KEY_SPECIALS.test(text) ? text.replace(/([,= \\])/g, '\\$1') : text
}

function escapeMeasurement(text: string): string {
  return MEASUREMENT_SPECIALS.test(text) ? text.replace(/([, \\])/g, '\\$1') : text
}

function fieldValue(value: number | boolean | string): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return `"${value.replace(/(["\\])/g, '\\$1')}"`
}
