import type { ReadingValue } from '../../gateway/core/reading.js'
import type { DeviceConfig } from '../deviceSchema.js'

export interface OutgoingMessage {
  readonly topic: string
  readonly payload: string
}

/**
 * What a real device of this config would publish for these metrics, on the
 * topics and in the format it is configured with: the simulator takes the
 * same path through the broker as hardware does (docs/requirements.md#simulation).
 */
export function deviceMessages(
  device: DeviceConfig,
  topicPrefix: string,
  metrics: Readonly<Record<string, ReadingValue>>,
): OutgoingMessage[] {
  const base = `${topicPrefix}/devices/${device.id}`
  const format = device.mqtt.format ?? (device.mqtt.topic !== undefined ? 'zigbee2mqtt' : 'json')
  if (format === 'bare') {
    return Object.entries(metrics).map(([metric, value]) => ({ topic: `${base}/${metric}`, payload: String(value) }))
  }
  const topic = device.mqtt.topic ?? `${base}/state`
  return [{ topic, payload: JSON.stringify(metrics) }]
}
