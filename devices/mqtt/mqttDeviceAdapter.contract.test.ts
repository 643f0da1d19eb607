import { createServer, type Server } from 'node:net'
import { Aedes } from 'aedes'
import { createClientBus } from '../../gateway/bus/clientBus.js'
import { systemClock } from '../../gateway/core/clock.js'
import { describeAdapterContract } from '../../test/support/adapterContract.js'
import { freePort } from '../../test/support/freePort.js'
import { createRecordingOutput, eventually } from '../../test/support/recordingOutput.js'
import type { MqttMessageSource } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createMqttDeviceAdapter } from './mqttDeviceAdapter.js'

const PREFIX = 'storeguard/store-1'
// a device behind zigbee2mqtt: its availability topic is how an MQTT device is seen to stop answering
const TOPIC = 'zigbee2mqtt/temp_1'
const DEVICE: DeviceConfig = {
  id: 'temp-1',
  type: 'temperature',
  zone: 'test',
  mqtt: { topic: TOPIC, format: 'zigbee2mqtt' },
}
const AVAILABILITY = `${TOPIC}/availability`

/** An aedes broker on a loopback port; stopping it drops every client, as a crashed broker would. */
async function startBroker(port: number): Promise<{ stop(): Promise<void> }> {
  const aedes = await Aedes.createBroker()
  const server: Server = createServer(aedes.handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    async stop() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * The filters the adapter holds, seen on their way to the bus: all it holds,
 * so all it must give back. A filter given back twice is no leftover.
 */
function countingFilters(source: MqttMessageSource): MqttMessageSource & { held(): number } {
  const held = new Set<string>()
  return {
    async subscribe(filters, handler) {
      for (const f of filters) held.add(f)
      await source.subscribe(filters, handler)
    },
    async unsubscribe(filters) {
      for (const f of filters) held.delete(f)
      await source.unsubscribe(filters)
    },
    held: () => held.size,
  }
}

// the gateway's own client of an external broker: a broker restart is something it reconnects through
describeAdapterContract('MQTT (aedes on loopback, through the gateway client bus)', async () => {
  const port = await freePort()
  let broker: { stop(): Promise<void> } | null = await startBroker(port)
  const busErrors: Error[] = []
  const bus = createClientBus({
    url: `mqtt://127.0.0.1:${port}`,
    clientId: `contract-${port}`,
    statusTopic: `${PREFIX}/gateway/status`,
    // a refused reconnect while the broker is down is expected; the contract watches readings
    onError: (err) => busErrors.push(err),
  })
  await bus.startDelivery(() => null)
  const source = countingFilters(bus)
  const output = createRecordingOutput()
  const adapter = createMqttDeviceAdapter({
    store: 'store-1',
    topicPrefix: PREFIX,
    devices: [DEVICE],
    source,
    output,
    maxPayloadBytes: 1024,
    clock: systemClock,
  })
  let temperature = 20
  return {
    adapter,
    output,
    deviceId: DEVICE.id,
    async produce() {
      temperature += 0.5
      bus.publish(TOPIC, JSON.stringify({ temperature }))
      return { metric: 'temperature', value: temperature }
    },
    async sendBadInput() {
      bus.publish(TOPIC, '{"temperature":')
    },
    until: (condition, what) => eventually(condition, what),
    outage: {
      // the device drops off the Zigbee network (zigbee2mqtt says so, retained), then the broker goes down too
      async stop() {
        bus.publish(AVAILABILITY, 'offline', { retain: true })
        await eventually(() => output.statusesOf(DEVICE.id).at(-1)?.ok === false, 'zigbee2mqtt heard offline')
        await broker?.stop()
        broker = null
        await eventually(() => !bus.isConnected(), 'the client bus to see the broker gone')
      },
      async restart() {
        broker = await startBroker(port)
        // the client's own back-off brings it back and subscribes again; publishing before would race that
        await eventually(() => bus.isConnected(), 'the client bus reconnected')
        bus.publish(AVAILABILITY, JSON.stringify({ state: 'online' }), { retain: true })
      },
    },
    leftovers: () => source.held(),
    async close() {
      await bus.close()
      await broker?.stop()
    },
  }
})
