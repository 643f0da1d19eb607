import type { Reading } from '../../core/reading.js'
import { sensorPoint, type TelemetryPoint } from './points.js'

/**
 * The readings of one device message (temperature, humidity, battery,
 * linkquality of one zigbee2mqtt payload) arrive one after the other in the
 * same tick with the same timestamp; written as one `sensor` point with a
 * field each, they are one line of line protocol instead of four — the row
 * InfluxDB would have merged them into anyway, at a quarter of the work for
 * the writer, the disk buffer and InfluxDB. The point under construction is
 * handed on when a reading of another device or time arrives, or at the end
 * of the tick (a microtask), so nothing waits longer than the message.
 */
export function createMessagePoints(emit: (point: TelemetryPoint) => void) {
  let current: { deviceId: string; ts: number; fields: Record<string, number | boolean | string> } | null = null
  let point: TelemetryPoint | null = null
  let scheduled = false

  const handOn = () => {
    scheduled = false
    if (point !== null) emit(point)
    point = null
    current = null
  }

  return {
    reading(r: Reading): void {
      if (
        current !== null &&
        current.deviceId === r.deviceId &&
        current.ts === r.ts &&
        !Object.hasOwn(current.fields, r.metric)
      ) {
        current.fields[r.metric] = r.value
        return
      }
      handOn()
      const first = sensorPoint(r)
      const fields: Record<string, number | boolean | string> = { ...first.fields }
      current = { deviceId: r.deviceId, ts: r.ts, fields }
      point = { ...first, fields }
      if (!scheduled) {
        scheduled = true
        queueMicrotask(() => {
          if (scheduled) handOn()
        })
      }
    },
    /** Hands on the point under construction now (before a non-reading point, or at stop). */
    flush: handOn,
  }
}
