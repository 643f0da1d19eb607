import type { ReadingValue } from '../../gateway/core/reading.js'
import type { DeviceConfig } from '../deviceSchema.js'

/**
 * Writes an output (siren, strobe, relay) to a device that listens on MQTT:
 * `<topic>/set` for a device with its own topic (zigbee2mqtt's convention),
 * else `<prefix>/devices/<id>/set`, with `{"<metric>": value}` as payload.
 */
export function createMqttOutputWriter(
  topicPrefix: string,
  devices: readonly DeviceConfig[],
  publish: (topic: string, payload: string) => void,
) {
  // only devices that listen on MQTT: Modbus and GPIO outputs belong to their own adapters
  const byId = new Map(devices.filter((d) => !d.modbus && !d.gpio).map((d) => [d.id, d]))
  return {
    owns: (deviceId: string): boolean => byId.has(deviceId),
    write(deviceId: string, metric: string, value: ReadingValue): void {
      const device = byId.get(deviceId)
      if (!device) return
      const topic =
        device.mqtt.topic !== undefined ? `${device.mqtt.topic}/set` : `${topicPrefix}/devices/${deviceId}/set`
      publish(topic, JSON.stringify({ [metric]: value }))
    },
  }
}
