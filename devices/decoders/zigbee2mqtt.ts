import type { DecodeResult } from './decodeResult.js'
import { jsonFields, parseJsonObject } from './genericJson.js'

/**
 * zigbee2mqtt device payloads (docs/requirements.md#mqtt-devices), so off-the-shelf Zigbee sensors work
 * without glue. Keys are already metric names (smoke, water_leak, tamper,
 * battery, battery_low, battery_state, voltage, linkquality, temperature,
 * action); what differs from
 * generic JSON is what zigbee2mqtt adds that is not a reading:
 * - `last_seen`, `update`, `update_available`, `device`: bookkeeping, skipped;
 * - `action: ""` is zigbee2mqtt clearing the last action, not an event.
 * Both are left out on purpose, so neither is counted as a rejection.
 */
const NOT_READINGS = new Set(['last_seen', 'update', 'update_available', 'device', 'elapsed'])

export function decodeZigbee2mqtt(payload: Buffer): DecodeResult {
  const parsed = parseJsonObject(payload)
  if (!parsed.ok) return parsed
  return { ok: true, ...jsonFields(parsed.object, notAReading) }
}

const notAReading = (metric: string, value: unknown) =>
  NOT_READINGS.has(metric) || (metric === 'action' && value === '')
