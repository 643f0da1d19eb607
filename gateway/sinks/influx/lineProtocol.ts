import type { TelemetryPoint } from './points.js'

/**
 * InfluxDB 1.x line protocol, written straight from our points: one string
 * per point, no intermediate objects (node-influx copied every point into
 * its own shape and ran a regex per key and value). Escaping per the 1.x
 * reference: measurement `,` and space; tag keys, tag values and field keys
 * `,` `=` and space; string field values `"` and `\`. Numbers are written as
 * floats (no `i`), as node-influx did, so the field types already in a
 * database stay the same. Timestamps are ms (written with precision=ms).
 *
 * Newlines: a line ends at `\n`, and line protocol has no escape for it in a
 * name or value (the 1.x reference: "does not support the newline character
 * in tag values or field values"). A raw one would split the point into two
 * unparsable lines, so CR and LF are written as the two characters `\r` and
 * `\n`, which InfluxDB stores as they are: a note "line one⏎line two" reads
 * back as `line one\nline two`.
 *
 * Backslashes in names and tag values are written as they are: InfluxDB 1.x
 * unescapes only `\,` `\=` `\ ` there, so a doubled backslash would be stored
 * doubled (node-influx did not double them either).
 *
 * The line of a point as the writer sends it, or null when nothing of it can
 * be written: empty tag values and non-finite numbers are left out (InfluxDB
 * refuses both, and one such point would fail a whole batch; an empty tag is
 * the same as no tag in InfluxQL, `WHERE zone = ''` matches both), and a
 * point with no field left, or no finite timestamp, is no point.
 *
 * The measurement and tags part is remembered per tags object: the sink
 * builds one tags object per device (messagePoints), so a reading costs a
 * lookup there instead of escaping four names and values again.
 */
export function pointToLine(p: TelemetryPoint): string | null {
  if (!Number.isFinite(p.ts)) return null
  let fields = ''
  for (const key in p.fields) {
    const value = p.fields[key] as number | boolean | string
    if (typeof value === 'number' && !Number.isFinite(value)) continue
    fields += `${fields === '' ? ' ' : ','}${escapeKey(key)}=${fieldValue(value)}`
  }
  if (fields === '') return null
  return `${seriesPart(p)}${fields} ${Math.round(p.ts)}`
}

const SERIES_PARTS = new WeakMap<object, { measurement: string; part: string }>()

function seriesPart(p: TelemetryPoint): string {
  const known = SERIES_PARTS.get(p.tags)
  if (known?.measurement === p.measurement) return known.part
  let part = escapeMeasurement(p.measurement)
  for (const key in p.tags) {
    const value = p.tags[key] as string
    if (value !== '') part += `,${escapeKey(key)}=${escapeKey(value)}`
  }
  SERIES_PARTS.set(p.tags, { measurement: p.measurement, part })
  return part
}

/** Most names and values need no escaping: test before replacing. */
const KEY_SPECIALS = /[,= \n\r]/
const MEASUREMENT_SPECIALS = /[, \n\r]/
const STRING_SPECIALS = /["\\\n\r]/
const LINE_BREAKS: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r' }

function escapeKey(text: string): string {
  return KEY_SPECIALS.test(text) ? text.replace(/[,= \n\r]/g, escapeChar) : text
}

function escapeMeasurement(text: string): string {
  return MEASUREMENT_SPECIALS.test(text) ? text.replace(/[, \n\r]/g, escapeChar) : text
}

function fieldValue(value: number | boolean | string): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return `"${STRING_SPECIALS.test(value) ? value.replace(/["\\\n\r]/g, escapeChar) : value}"`
}

function escapeChar(c: string): string {
  return LINE_BREAKS[c] ?? `\\${c}`
}
