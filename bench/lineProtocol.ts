/**
 * The pure pieces of the ceiling pipeline (bench/ceilingProcess.ts): topic →
 * device id, reading → one InfluxDB line, and a per-device millisecond clock.
 * Written for the hot path: plain string building, no intermediate objects.
 */

const Z2M = 'zigbee2mqtt/'
const DEVICES = '/devices/'
const STATE = '/state'

/**
 * The device a workload topic is about: `zigbee2mqtt/z2m_001` → `z2m-001`,
 * `<prefix>/devices/<id>/state` → `<id>`; null for any other topic.
 */
export function deviceIdFromTopic(topic: string): string | null {
  if (topic.startsWith(Z2M)) {
    const name = topic.slice(Z2M.length)
    // z2m friendly names use `_`, the workload's device ids `-` (benchDevices)
    return name.length > 0 && !name.includes('/') ? name.replaceAll('_', '-') : null
  }
  if (!topic.endsWith(STATE)) return null
  const at = topic.lastIndexOf(DEVICES)
  if (at < 0) return null
  const id = topic.slice(at + DEVICES.length, topic.length - STATE.length)
  return id.length > 0 && !id.includes('/') ? id : null
}

// tag values and field keys: commas, spaces and `=` are syntax in line protocol
const NEEDS_ESCAPE = /[,= \\]/
const ESCAPE = /[,= \\]/g

function escapeKey(s: string): string {
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPE, '\\$&') : s
}

/**
 * One line `sensor,device=<id> temperature=…,<other numeric fields> <ts>`
 * for a parsed message, or null when it has no numeric `temperature` (leak
 * probes, garbage). Non-numeric and non-finite fields are left out: every
 * field is written as a float, so the field types never conflict.
 */
export function sensorLine(deviceId: string, reading: unknown, ts: number): string | null {
  if (typeof reading !== 'object' || reading === null) return null
  const fields = reading as Record<string, unknown>
  const temperature = fields.temperature
  if (typeof temperature !== 'number' || !Number.isFinite(temperature)) return null
  let line = `sensor,device=${escapeKey(deviceId)} temperature=${temperature}`
  for (const key in fields) {
    if (key === 'temperature') continue
    const value = fields[key]
    if (typeof value === 'number' && Number.isFinite(value)) line += `,${escapeKey(key)}=${value}`
  }
  return `${line} ${ts}`
}

/**
 * A millisecond clock that never gives one device the same timestamp twice:
 * InfluxDB keeps one point per (series, timestamp), so a device repeating a
 * millisecond would overwrite its previous reading. A repeat is bumped 1 ms
 * past the device's last timestamp.
 */
export class DeviceClock {
  readonly #last = new Map<string, number>()
  readonly #now: () => number

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  next(deviceId: string): number {
    const now = this.#now()
    const last = this.#last.get(deviceId)
    const ts = last === undefined || now > last ? now : last + 1
    this.#last.set(deviceId, ts)
    return ts
  }
}
