import type { Reading } from '../../core/reading.js'
import { type SensorTags, sensorTags, type TelemetryPoint } from './points.js'

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
  let point: { readonly tags: SensorTags; readonly fields: Fields; readonly ts: number } | null = null
  let scheduled = false
  // one tags object per device, not one per message: the line protocol writer remembers its text by it
  const tagsByDevice = new Map<string, SensorTags>()

  const tagsOf = (r: Reading): SensorTags => {
    const known = tagsByDevice.get(r.deviceId)
    if (known?.store === r.store && known.type === r.deviceType && known.zone === r.zone) return known
    const tags = sensorTags(r)
    tagsByDevice.set(r.deviceId, tags)
    return tags
  }

  const handOn = () => {
    scheduled = false
    if (point !== null) emit({ measurement: 'sensor', tags: point.tags, fields: point.fields, ts: point.ts })
    point = null
  }

  return {
    reading(r: Reading): void {
      if (
        point !== null &&
        point.tags.device === r.deviceId &&
        point.ts === r.ts &&
        !Object.hasOwn(point.fields, r.metric)
      ) {
        point.fields[r.metric] = r.value
        return
      }
      handOn()
      point = { tags: tagsOf(r), fields: { [r.metric]: r.value }, ts: r.ts }
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

type Fields = Record<string, number | boolean | string>
