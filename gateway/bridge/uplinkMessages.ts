import { randomUUID } from 'node:crypto'
import type { MqttBus, PublishOptions } from '../bus/mqttBus.js'
import type { UplinkKind } from './uplinkStore.js'

const STATE_COLLECTIONS = new Set(['alarms', 'notices', 'tickets', 'reports'])

/**
 * Which of the gateway's own MQTT messages go to the centre (MQTT out, docs/requirements.md#mqtt-topics):
 * retained alarm, notice and ticket state, the pre-opening report, and every
 * event. Not the gateway status (the bridge has its own last will on the
 * central broker) and not the commands to local sirens and relays.
 */
export function uplinkKindOf(topicPrefix: string, topic: string): UplinkKind | null {
  if (!topic.startsWith(topicPrefix) || topic.charCodeAt(topicPrefix.length) !== 0x2f /* / */) return null
  const rest = topic.slice(topicPrefix.length + 1)
  if (rest === 'events') return 'event'
  const slash = rest.indexOf('/')
  // exactly `<collection>/<id>`, the id not empty
  if (slash <= 0 || slash === rest.length - 1 || rest.indexOf('/', slash + 1) !== -1) return null
  const collection = rest.slice(0, slash)
  return STATE_COLLECTIONS.has(collection) ? 'state' : null
}

/**
 * Puts a fresh `msgId` first in a JSON object payload, so the centre can drop
 * the second copy of a message sent again after a lost PUBACK or a restart
 * (at-least-once delivery, exactly-once after deduplication). Anything else —
 * the empty payload that removes a retained topic, a plain string — is sent as
 * it is: those are idempotent state, a copy changes nothing.
 */
export function withMessageId(payload: string | Buffer, msgId: string = randomUUID()): Buffer {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8')
  // a Buffer goes byte for byte: a round trip through a string would mangle bytes that are not UTF-8
  if (!text.startsWith('{') || !text.endsWith('}')) return typeof payload === 'string' ? Buffer.from(text) : payload
  const body = text.slice(1, -1).trim()
  return Buffer.from(`{"msgId":${JSON.stringify(msgId)}${body === '' ? '' : `,${body}`}}`, 'utf8')
}

/** `bus`, with every message the centre should see (`uplinkKindOf`) also handed to `enqueue`. */
export function teeToCentral(
  bus: MqttBus,
  topicPrefix: string,
  enqueue: (topic: string, payload: string | Buffer, kind: UplinkKind, retain: boolean) => void,
): MqttBus {
  return {
    publish(topic: string, payload: string | Buffer, options: PublishOptions = {}) {
      bus.publish(topic, payload, options)
      const kind = uplinkKindOf(topicPrefix, topic)
      if (kind) enqueue(topic, payload, kind, options.retain ?? false)
    },
    subscribe: (filters, handler) => bus.subscribe(filters, handler),
    unsubscribe: (filters) => bus.unsubscribe(filters),
    isConnected: () => bus.isConnected(),
    close: () => bus.close(),
  }
}
