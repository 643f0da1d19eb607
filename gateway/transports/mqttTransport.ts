import type { Transport } from './transport.js'

/**
 * Devices on the broker. Always created, even with no MQTT device configured:
 * it is also what counts a message for a device nobody configured.
 */
export const mqttTransport: Transport = {
  name: 'mqtt',
  configured: () => true,
  async create({ config, clock, output, messages }) {
    const { createMqttDeviceAdapter } = await import('../../devices/mqtt/mqttDeviceAdapter.js')
    return createMqttDeviceAdapter({
      store: config.store.id,
      topicPrefix: config.topicPrefix,
      devices: config.devices,
      source: messages,
      output,
      maxPayloadBytes: config.broker.maxPayloadBytes,
      clock,
    })
  },
}
