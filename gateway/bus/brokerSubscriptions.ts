import type { MqttClient } from 'mqtt'

/**
 * The client bus's subscriptions on a broker that may be away. mqtt.js fails
 * a subscription whose connection closes before the SUBACK, and resubscribes
 * by itself only what a broker confirmed after a first connection; so filters
 * never confirmed are kept here and asked for again at each connection until
 * the broker confirms them. Waiting is bounded by the connection attempt
 * under way, never by the broker's return: a broker that is down (at start,
 * or when a reload adds a device) must hold up neither the start — the unit
 * would never say READY=1 and systemd would kill it — nor the reload queue,
 * nor a stop (docs/design.md#boundaries-never-throw). A refusal on a live
 * connection still fails.
 */
export function createSubscriptions(client: MqttClient) {
  const pending = new Set<string>()
  let resubscribed: Promise<void> = Promise.resolve()
  let attempt: Promise<boolean> | null = null

  function subscribeNow(filters: readonly string[]): Promise<void> {
    return client.subscribeAsync([...filters], { qos: 1 }).then(
      () => {
        for (const f of filters) pending.delete(f)
      },
      (err: unknown) => {
        // the connection closed before the SUBACK: still pending, asked for at the next connection
        if (client.connected || client.disconnecting) throw err
      },
    )
  }

  /** True once the connection attempt under way is up, false once it closed (refused, timed out, ended). */
  function outcome(): Promise<boolean> {
    attempt ??= new Promise<boolean>((resolve) => {
      const up = () => {
        client.off('close', down)
        attempt = null
        resolve(true)
      }
      const down = () => {
        client.off('connect', up)
        attempt = null
        resolve(false)
      }
      client.once('connect', up)
      client.once('close', down)
    })
    return attempt
  }

  return {
    /** Subscribes `filters`; resolves once confirmed, or kept for later when the broker cannot be reached now. */
    add(filters: readonly string[]): Promise<void> {
      for (const f of filters) pending.add(f)
      if (client.connected) return subscribeNow(filters)
      if (client.disconnecting || client.disconnected) return Promise.resolve()
      return outcome().then((up) => (up ? resubscribed : undefined))
    },
    remove(filters: readonly string[]): void {
      for (const f of filters) pending.delete(f)
    },
    /** A connection is up: what no broker confirmed yet is asked for now (call from the `connect` listener). */
    connected(): Promise<void> {
      resubscribed = pending.size > 0 ? subscribeNow([...pending]) : Promise.resolve()
      return resubscribed
    },
  }
}
