import type { Aedes, AedesPublishPacket } from 'aedes'
import type { MqttBus, PublishOptions } from './mqttBus.js'

type Deliver = (packet: AedesPublishPacket, done: () => void) => void

/** MqttBus over the embedded aedes broker, in-process. */
export function createEmbeddedBus(aedes: Aedes, onError: (err: Error) => void): MqttBus {
  const deliverers = new Map<string, Deliver>()
  return {
    publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): void {
      aedes.publish(
        {
          cmd: 'publish',
          topic,
          payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
          qos: options.qos ?? 1,
          retain: options.retain ?? false,
          dup: false,
        },
        (err) => {
          if (err) onError(err)
        },
      )
    },
    subscribe(filters, handler) {
      return Promise.all(
        filters.map(
          (filter) =>
            new Promise<void>((resolve) => {
              const deliver: Deliver = (packet, done) => {
                handler(packet.topic, packet.payload as Buffer)
                done()
              }
              deliverers.set(filter, deliver)
              aedes.subscribe(filter, deliver, resolve)
            }),
        ),
      ).then(() => undefined)
    },
    unsubscribe(filters) {
      return Promise.all(
        filters.map(
          (filter) =>
            new Promise<void>((resolve) => {
              const deliver = deliverers.get(filter)
              if (!deliver) return resolve()
              deliverers.delete(filter)
              aedes.unsubscribe(filter, deliver, resolve)
            }),
        ),
      ).then(() => undefined)
    },
    isConnected: () => !aedes.closed,
    close: async () => {},
  }
}
