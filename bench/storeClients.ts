import { createConnection } from 'node:net'
import { MqttClient } from 'mqtt'
import { type StoreDevice, storeReading } from './storeFleet.js'

export interface StoreClientsOptions {
  /** Each device reports this often, ms; the devices' reports are spread evenly over it. */
  readonly readingEveryMs: number
  /** Each device's connection drops this often (a Wi-Fi blip), ms; 0: never. Spread evenly too. */
  readonly blipEveryMs: number
  /**
   * The local address device `i` connects from. In a store each device has an address of its own,
   * and the gateway queues password checks per address (gateway/security/fairCheckQueue.ts), so
   * 40 devices from one address would be told "server unavailable"; on loopback every
   * 127.0.0.0/8 address is this machine.
   */
  readonly sourceAddress: (i: number) => string
}

export interface StoreClients {
  /** Resolves once every device has logged in for the first time. */
  readonly loggedIn: Promise<void>
  /** Reports published, acknowledged (QoS 1 PUBACK), logins (first ones and after blips), blips. */
  counts(): { published: number; acked: number; logins: number; blips: number; errors: number; lastError: string }
  close(): Promise<void>
}

/** mqtt.js tries again this long after a dropped connection, as a device's firmware would. */
const RECONNECT_MS = 1000

/**
 * The store's devices as real MQTT clients (bench/README.md "Store load"): each logs in with its
 * own username and password, reports every `readingEveryMs` at QoS 1 and, once per
 * `blipEveryMs`, loses its connection: the socket is destroyed without a DISCONNECT, the broker
 * sees it close, and mqtt.js logs in again after RECONNECT_MS.
 */
export function startStoreClients(url: string, devices: readonly StoreDevice[], o: StoreClientsOptions): StoreClients {
  const counts = { published: 0, acked: 0, logins: 0, blips: 0, errors: 0, lastError: '' }
  const timers: NodeJS.Timeout[] = []
  const clients: MqttClient[] = []
  const firstLogins = devices.map((device, i) => {
    const { hostname, port } = new URL(url)
    const localAddress = o.sourceAddress(i)
    // mqtt.connect() cannot choose the local address: the client gets a stream builder of its own
    const client = new MqttClient(() => createConnection({ host: hostname, port: Number(port), localAddress }), {
      clientId: device.id,
      username: device.id,
      password: device.password,
      reconnectPeriod: RECONNECT_MS,
      keepalive: 60,
      protocolVersion: 4,
    })
    clients.push(client)
    client.on('connect', () => counts.logins++)
    client.on('error', (err) => {
      counts.errors++
      counts.lastError = `${device.id}: ${err.message}`
    })
    let n = 0
    const report = () => {
      counts.published++
      // while the connection is down mqtt.js keeps the QoS 1 report and sends it after the login
      client.publish(device.topic, storeReading(device, n++), { qos: 1 }, (err) => {
        if (err === undefined || err === null) counts.acked++
      })
    }
    const blip = () => {
      if (!client.connected) return
      counts.blips++
      client.stream.destroy()
    }
    every(timers, (i * o.readingEveryMs) / devices.length, o.readingEveryMs, report)
    if (o.blipEveryMs > 0) every(timers, ((i + 0.5) * o.blipEveryMs) / devices.length, o.blipEveryMs, blip)
    return new Promise<void>((resolve) => client.once('connect', () => resolve()))
  })
  return {
    loggedIn: Promise.all(firstLogins).then(() => undefined),
    counts: () => ({ ...counts }),
    async close() {
      for (const t of timers) clearTimeout(t)
      await Promise.all(clients.map((c) => c.endAsync(true)))
    },
  }
}

/** Runs `fn` every `periodMs`, the first time after `offsetMs`; the timers go into `timers` for close(). */
function every(timers: NodeJS.Timeout[], offsetMs: number, periodMs: number, fn: () => void): void {
  timers.push(
    setTimeout(() => {
      fn()
      timers.push(setInterval(fn, periodMs))
    }, offsetMs),
  )
}
