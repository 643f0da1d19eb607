import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { TopicIndex } from '../broker/topicIndex.js'
import type { MqttBus, PublishOptions } from './mqttBus.js'

export interface ClientBusOptions {
  readonly url: string
  readonly username?: string
  readonly password?: string
  readonly clientId: string
  /** SPEC §7 last will: `<prefix>/gateway/status` = `offline`, retained. */
  readonly statusTopic: string
  readonly onError: (err: Error) => void
}

/**
 * MqttBus as a client of an external broker (SPEC §4). mqtt.js reconnects by
 * itself and queues publishes while offline; TCP_NODELAY is set on every
 * socket because Nagle adds ~20 ms to an alarm (STYLE §6).
 */
export function createClientBus(options: ClientBusOptions): MqttBus {
  const clientOptions: IClientOptions = {
    clientId: options.clientId,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    will: { topic: options.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
  }
  const client: MqttClient = connect(options.url, clientOptions)
  const handlers = new TopicIndex<(topic: string, payload: Buffer) => void>()
  client.on('connect', () => {
    const stream = client.stream as { setNoDelay?: (on: boolean) => void }
    stream.setNoDelay?.(true)
    client.publish(options.statusTopic, 'online', { qos: 1, retain: true })
  })
  client.on('error', options.onError)
  client.on('message', (topic, payload) => {
    // one delivery per handler, even when several of its filters match
    for (const handler of handlers.match(topic)) handler(topic, payload)
  })
  return {
    publish(topic: string, payload: string | Buffer, publishOptions: PublishOptions = {}): void {
      client.publish(topic, payload, { qos: publishOptions.qos ?? 1, retain: publishOptions.retain ?? false })
    },
    async subscribe(filters, handler) {
      for (const f of filters) handlers.set(f, handler)
      await client.subscribeAsync([...filters], { qos: 1 })
    },
    async unsubscribe(filters) {
      for (const f of filters) handlers.delete(f)
      if (client.connected) await client.unsubscribeAsync([...filters])
    },
    isConnected: () => client.connected,
    close: async () => {
      if (client.connected) await client.publishAsync(options.statusTopic, 'offline', { qos: 1, retain: true })
      await client.endAsync()
    },
  }
}
