import type { MqttClient } from 'mqtt'
import { eventually } from './api.js'
import { connectClient } from './mqttClient.js'
import { PREFIX, SECRETS } from './testStore.js'

export interface HaMessage {
  readonly topic: string
  readonly payload: string
}

/**
 * A stand-in for Home Assistant's MQTT integration: logs in as the test
 * store's `homeassistant` client, subscribes to the discovery prefix, the
 * store's state topics and the gateway's status, and records what comes.
 */
export async function connectHomeAssistant(mqttUrl: string) {
  const client: MqttClient = await connectClient(mqttUrl, 'homeassistant', SECRETS.homeAssistant)
  const seen: HaMessage[] = []
  client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }))
  await client.subscribeAsync(['homeassistant/#', `${PREFIX}/state/#`, `${PREFIX}/gateway/status`], { qos: 1 })
  /** The last payload on `topic`, or undefined when none came. */
  const last = (topic: string) => seen.findLast((m) => m.topic === topic)?.payload
  return {
    client,
    seen,
    last,
    /** The last discovery payload of each config topic still announced (an empty payload removes it). */
    discovery(): Map<string, Record<string, unknown>> {
      const configs = new Map<string, Record<string, unknown>>()
      for (const m of seen) {
        if (!m.topic.startsWith('homeassistant/') || !m.topic.endsWith('/config')) continue
        if (m.payload === '') configs.delete(m.topic)
        else configs.set(m.topic, JSON.parse(m.payload))
      }
      return configs
    },
    /** Waits until the last payload on `topic` passes `accept`. */
    until: (topic: string, accept: (payload: string) => boolean, what = topic) =>
      eventually(
        async () => {
          const payload = last(topic)
          return payload !== undefined && accept(payload) ? payload : undefined
        },
        15_000,
        what,
      ),
    /** Waits until a payload on `topic` that passes `accept` has come after the first `mark` messages. */
    since: (mark: number, topic: string, accept: (payload: string) => boolean, what = topic) =>
      eventually(
        async () => seen.slice(mark).find((m) => m.topic === topic && accept(m.payload))?.payload,
        15_000,
        what,
      ),
    /** HA's birth message: what the integration publishes each time it connects. */
    born: () => client.publishAsync('homeassistant/status', 'online', { qos: 1 }),
    end: () => client.endAsync(true),
  }
}

export type HomeAssistantClient = Awaited<ReturnType<typeof connectHomeAssistant>>
