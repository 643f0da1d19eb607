import type { Aedes, AedesPublishPacket, PublishPacket } from 'aedes'
import type { MqttBus, PublishOptions } from './mqttBus.js'

type Deliver = (packet: AedesPublishPacket, done: () => void) => void

/** MqttBus over the embedded aedes broker, in-process. */
export function createEmbeddedBus(aedes: Aedes, onError: (err: Error) => void): MqttBus {
  const deliverers = new Map<string, Deliver>()
  // aedes 1.2 loses a retained publish for live subscribers when another
  // publish follows before its callback (seen with alarms/<id> then events),
  // so publishes go one at a time, in order: alarm state before its event.
  const queue: PublishPacket[] = []
  let publishing = false
  let drained: (() => void) | null = null
  const next = (): void => {
    const packet = queue.shift()
    if (!packet) {
      publishing = false
      drained?.()
      return
    }
    publishing = true
    aedes.publish(packet, (err) => {
      if (err) onError(err)
      next()
    })
  }
  return {
    publish(topic: string, payload: string | Buffer, options: PublishOptions = {}): void {
      queue.push({
        cmd: 'publish',
        topic,
        payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
        qos: options.qos ?? 1,
        retain: options.retain ?? false,
        dup: false,
      })
      if (!publishing) next()
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
    /** Resolves once every queued publish has reached the broker. */
    close: () =>
      new Promise<void>((resolve) => {
        if (!publishing) return resolve()
        drained = resolve
      }),
  }
}
