import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt'
import { createSubscriptions } from './brokerSubscriptions.js'
import { createDeliveryGate } from './deliveryGate.js'
import { createLoopSlices } from './loopSlices.js'
import type { LocalBus, PublishOptions } from './mqttBus.js'

export interface ClientBusOptions {
  readonly url: string
  readonly username?: string
  readonly password?: string
  readonly clientId: string
  /** Last will (docs/requirements.md#mqtt-topics): `<prefix>/gateway/status` = `offline`, retained. */
  readonly statusTopic: string
  readonly onError: (err: Error) => void
  /** A message on a topic no handler reads, e.g. one a persistent session still holds from an older config. */
  readonly onUnowned?: (topic: string) => void
}

/**
 * MqttBus as a client of an external broker (docs/requirements.md#mqtt-devices). mqtt.js reconnects by
 * itself and queues publishes while offline; TCP_NODELAY is set on every
 * socket because Nagle adds ~20 ms to an alarm (docs/design.md#known-traps).
 *
 * Delivery: a persistent session (fixed client id, clean: false), so the
 * broker keeps what arrives while the gateway is down or restarting and
 * sends again what the gateway never acknowledged. mqtt.js sends the PUBACK
 * when `handleMessage` calls back, and handles no further packet until then:
 * the message is handled there and acknowledged after the durability barrier,
 * and in slices of the event loop's time (loopSlices) so a backlog never holds
 * the loop for long.
 */
export function createClientBus(options: ClientBusOptions): LocalBus {
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: false,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    will: { topic: options.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
  }
  const client: MqttClient = connect(options.url, clientOptions)
  const gate = createDeliveryGate(options.onUnowned)
  const slices = createLoopSlices()
  const acknowledge = (callback: (error?: Error) => void) => slices(() => callback())
  client.handleMessage = (packet: IPublishPacket, callback: (error?: Error) => void) => {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload
    gate.deliver(packet.topic, payload, () => acknowledge(callback))
  }
  // SUBACKs that come behind messages held until startDelivery; awaited there, not in subscribe
  const unconfirmed: Promise<void>[] = []
  const subscriptions = createSubscriptions(client)
  client.on('connect', () => {
    const stream = client.stream as { setNoDelay?: (on: boolean) => void }
    stream.setNoDelay?.(true)
    client.publish(options.statusTopic, 'online', { qos: 1, retain: true })
    subscriptions.connected().catch(options.onError)
  })
  client.on('error', options.onError)
  return {
    publish(topic: string, payload: string | Buffer, publishOptions: PublishOptions = {}): void {
      client.publish(topic, payload, { qos: publishOptions.qos ?? 1, retain: publishOptions.retain ?? false })
    },
    async subscribe(filters, handler) {
      gate.add(filters, handler)
      const confirmed = subscriptions.add(filters)
      // before startDelivery a redelivered message holds mqtt.js's packet loop, SUBACK included
      if (gate.isOpen) return confirmed
      // a refusal fails startDelivery, not the process as an unhandled rejection
      confirmed.catch(() => undefined)
      unconfirmed.push(confirmed)
    },
    async unsubscribe(filters) {
      gate.remove(filters)
      subscriptions.remove(filters)
      if (client.connected) await client.unsubscribeAsync([...filters])
    },
    async startDelivery(barrier) {
      gate.open(barrier)
      await Promise.all(unconfirmed.splice(0))
    },
    isConnected: () => client.connected,
    close: async () => {
      if (client.connected) await client.publishAsync(options.statusTopic, 'offline', { qos: 1, retain: true })
      await client.endAsync()
    },
  }
}
