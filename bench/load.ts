import mqtt, { type MqttClient } from 'mqtt'
import { type BenchDevice, sensorPayload } from './workload.js'

export interface Publishers {
  readonly clients: readonly MqttClient[]
  close(): Promise<void>
}

/** `count` MQTT connections for the load (several, as many devices would be, and so one socket is not the limit). */
export async function connectPublishers(
  url: string,
  count: number,
  login: { username: string; password: string } | null,
): Promise<Publishers> {
  const clients = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      mqtt.connectAsync(url, {
        clientId: `bench-load-${i}-${process.pid}`,
        ...(login ?? {}),
        reconnectPeriod: 0,
      }),
    ),
  )
  return { clients, close: async () => void (await Promise.all(clients.map((c) => c.endAsync()))) }
}

/** How many publishes each client keeps in flight: enough to fill the pipe, bounded so nothing queues without end. */
const WINDOW = 200

/**
 * Publishes `total` sensor readings as fast as the broker takes them,
 * spread over the clients and the devices round robin, each client keeping
 * at most WINDOW publishes unacknowledged (QoS 1) or unwritten (QoS 0).
 */
export async function publishFlat(
  publishers: Publishers,
  devices: readonly BenchDevice[],
  total: number,
  qos: 0 | 1,
): Promise<void> {
  const { clients } = publishers
  let next = 0
  await Promise.all(
    clients.map(
      (client) =>
        new Promise<void>((resolve, reject) => {
          let inFlight = 0
          const pump = () => {
            while (inFlight < WINDOW && next < total) {
              const n = next++
              const device = devices[n % devices.length] as BenchDevice
              inFlight++
              client.publish(device.topic, sensorPayload(device, n), { qos }, (err) => {
                inFlight--
                if (err) reject(err)
                else pump()
              })
            }
            if (inFlight === 0 && next >= total) resolve()
          }
          pump()
        }),
    ),
  )
}

/** Background load at `perSecond` readings/s, in 10 ms slices, until stopped. Returns the number sent. */
export function publishPaced(
  publishers: Publishers,
  devices: readonly BenchDevice[],
  perSecond: number,
  qos: 0 | 1,
): { stop(): number } {
  const { clients } = publishers
  const startedAt = performance.now()
  let sent = 0
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * perSecond)
    for (; sent < due; sent++) {
      const device = devices[sent % devices.length] as BenchDevice
      ;(clients[sent % clients.length] as MqttClient).publish(device.topic, sensorPayload(device, sent), { qos })
    }
  }, 10)
  return {
    stop() {
      clearInterval(timer)
      return sent
    },
  }
}
