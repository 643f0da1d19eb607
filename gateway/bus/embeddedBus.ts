import type { Aedes, AedesPublishPacket, PublishPacket } from 'aedes'
import { createDeliveryGate, type DeliveryGate } from './deliveryGate.js'
import type { LocalBus, PublishOptions } from './mqttBus.js'

type Deliver = (packet: AedesPublishPacket, done: () => void) => void

/**
 * How a client's PUBLISH reaches the gateway before aedes acknowledges it.
 * aedes 1.2 writes PUBACK before it hands a QoS 1 message to subscribers, so
 * a gateway killed in between would lose a message the device will never
 * send again. The broker's authorizePublish hook (which aedes awaits before
 * the PUBACK or PUBREC) calls `handle` instead; the copy aedes then delivers
 * through the subscription is recognised by its payload (aedes-packet keeps
 * the same Buffer) and skipped.
 */
export interface ClientPublishes {
  readonly gate: DeliveryGate
  handle(topic: string, payload: PublishPacket['payload'], ack: () => void): void
  /** Whether this payload was handed on already, before its acknowledgement. */
  handled(payload: PublishPacket['payload']): boolean
}

export function createClientPublishes(gate: DeliveryGate = createDeliveryGate()): ClientPublishes {
  const seen = new WeakSet<Buffer>()
  return {
    gate,
    handle(topic, payload, ack) {
      // the wire always gives a Buffer; anything else goes the subscription's way
      if (typeof payload === 'string') return ack()
      seen.add(payload)
      gate.deliver(topic, payload, ack)
    },
    handled: (payload) => typeof payload !== 'string' && seen.has(payload),
  }
}

/** MqttBus over the embedded aedes broker, in-process. */
export function createEmbeddedBus(
  aedes: Aedes,
  onError: (err: Error) => void,
  clientPublishes: ClientPublishes = createClientPublishes(),
): LocalBus {
  const { gate } = clientPublishes
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
      gate.add(filters, handler)
      return Promise.all(
        filters.map(
          (filter) =>
            new Promise<void>((resolve) => {
              const deliver: Deliver = (packet, done) => {
                // a client's message was handled before its PUBACK; only the gateway's own come this way
                if (!clientPublishes.handled(packet.payload)) handler(packet.topic, packet.payload as Buffer)
                done()
              }
              deliverers.set(filter, deliver)
              aedes.subscribe(filter, deliver, resolve)
            }),
        ),
      ).then(() => undefined)
    },
    unsubscribe(filters) {
      gate.remove(filters)
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
    startDelivery(barrier) {
      gate.open(barrier)
      return Promise.resolve()
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
