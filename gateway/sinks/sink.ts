import type { LoadedConfig } from '../config/loadConfig.js'
import type { EventBus, GatewayEvent } from '../core/events.js'
import type { DeviceDirectory } from '../core/ports.js'
import type { Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { CentralSample } from './influx/points.js'

/** Whether a sink's store takes writes, and how much waits for it meanwhile. */
export interface SinkHealth {
  readonly state: 'up' | 'down'
  /** Points held back (e.g. in a disk buffer) until the store takes them again. */
  readonly backlog: number
}

/**
 * Where telemetry goes: readings, alarm and ticket changes from the event
 * bus, plus what the sink samples itself. A sink is started subscribed, and
 * never throws into the bus: a store that is down is its own problem to buffer.
 */
export interface Sink {
  readonly name: string
  /** Which bus events it turns into points. */
  wants(event: GatewayEvent): boolean
  /**
   * The acknowledgement barrier for device messages: resolves once what was
   * handled so far is safe (e.g. in a disk buffer while the store is down);
   * null when nothing needs waiting for.
   */
  durable(): Promise<void> | null
  health(): SinkHealth
  /** Unsubscribes, stops its timers, and flushes (or buffers) what is queued; twice is harmless. */
  stop(): Promise<void>
}

/** What the gateway offers every sink; each takes what it uses. */
export interface SinkDeps {
  readonly config: LoadedConfig
  readonly events: Pick<EventBus, 'subscribe'>
  readonly devices: DeviceDirectory
  readonly openAlarms: () => number
  /** The upstream bridge's state; absent without a bridge. */
  readonly central?: () => CentralSample
  readonly metrics: GatewayMetrics
  readonly log: Logger
  readonly now: () => number
}

/** One kind of sink: whether the config turns it on, and how to start it. */
export interface SinkKind {
  readonly name: string
  configured(config: LoadedConfig): boolean
  /** Starts it subscribed to `deps.events`; loads its modules on first use. */
  start(deps: SinkDeps): Promise<Sink>
}
