import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt'

/** A real mqtt.js client for tests: no reconnects, so a refusal is seen, not retried. */
export function connectClient(
  url: string,
  username: string,
  password: string,
  extra: IClientOptions = {},
): Promise<MqttClient> {
  return connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000, ...extra })
}

/** Resolves with the first message on `topic` whose payload passes `accept`. */
export function nextMessage(
  client: MqttClient,
  topic: string,
  accept: (payload: Buffer) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<{ payload: Buffer; retain: boolean }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('message', onMessage)
      reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`))
    }, timeoutMs)
    const onMessage = (t: string, payload: Buffer, packet: { retain: boolean }) => {
      if (t !== topic || !accept(payload)) return
      clearTimeout(timer)
      client.off('message', onMessage)
      resolve({ payload, retain: packet.retain })
    }
    client.on('message', onMessage)
  })
}

/** The retained alarms under `<prefix>/alarms/#` that a fresh subscription receives. */
export async function retainedAlarms(client: MqttClient, prefix: string, settleMs = 300): Promise<Map<string, string>> {
  const seen = new Map<string, string>()
  const onMessage = (topic: string, payload: Buffer, packet: { retain: boolean }) => {
    if (packet.retain && topic.startsWith(`${prefix}/alarms/`))
      seen.set(topic.slice(prefix.length + 8), payload.toString())
  }
  client.on('message', onMessage)
  await client.subscribeAsync(`${prefix}/alarms/#`, { qos: 1 })
  await new Promise((r) => setTimeout(r, settleMs))
  client.off('message', onMessage)
  return seen
}
