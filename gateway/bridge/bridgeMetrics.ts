import { Counter, Gauge, type Registry } from 'prom-client'

/** What the queue gauges read when Prometheus scrapes. */
export interface QueueStatus {
  readonly queued: number
  readonly oldestQueuedAt: string | null
}

/** The bridge's Prometheus metrics (`storeguard_bridge_*`), on the gateway's registry. */
export function bridgeMetrics(registry: Registry, status: () => QueueStatus, now: () => number) {
  // the queue gauges are read at scrape time, so they are never stale
  new Gauge({
    name: 'storeguard_bridge_queued',
    help: 'messages for the centre not yet acknowledged',
    registers: [registry],
    collect() {
      this.set(status().queued)
    },
  })
  new Gauge({
    name: 'storeguard_bridge_oldest_queued_seconds',
    help: 'age of the oldest message waiting for the centre; 0 when none waits',
    registers: [registry],
    collect() {
      const at = status().oldestQueuedAt
      this.set(at === null ? 0 : Math.max(0, (now() - Date.parse(at)) / 1000))
    },
  })
  return {
    connected: new Gauge({
      name: 'storeguard_bridge_connected',
      help: '1 while the central broker session is up',
      registers: [registry],
    }),
    sent: new Counter({
      name: 'storeguard_bridge_sent_total',
      help: 'messages the central broker acknowledged',
      registers: [registry],
    }),
    dropped: new Counter({
      name: 'storeguard_bridge_dropped_total',
      help: 'messages dropped because the queue for the centre was full',
      registers: [registry],
    }),
    commands: new Counter({
      name: 'storeguard_bridge_commands_total',
      help: 'commands from the centre, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
  }
}
