import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Counter, Gauge } from 'prom-client'
import type { GatewayMetrics } from '../../metrics.js'
import type { InfluxWriter } from './influxWriter.js'
import type { GatewayHealthSample } from './points.js'
import type { DropReason } from './writeBatch.js'

export interface SelfTelemetry {
  /** One reading went by (for readings per second). */
  countReading(): void
  /** The `gateway` measurement's fields since the previous sample (docs/requirements.md#influxdb). */
  sample(): Promise<GatewayHealthSample>
  /** Counts dropped points on /metrics. */
  dropped(reason: DropReason, count: number): void
  /** Stops the event-loop monitor and takes the influx metrics off the registry. */
  stop(): void
}

export interface SelfTelemetryDeps {
  readonly metrics: GatewayMetrics
  readonly writer: () => InfluxWriter | null
  readonly openAlarms: () => number
  readonly now: () => number
}

const MB = 1024 * 1024
const LOOP_RESOLUTION_MS = 10

/**
 * Gateway health (docs/requirements.md#influxdb), the same numbers on /metrics (prom-client, on
 * the gateway's registry) and as the `gateway` measurement in InfluxDB.
 * Event-loop lag is the p99 of `monitorEventLoopDelay` over the last interval:
 * the loop carries the alarms (an alarm's p99 budget is 20 ms, docs/requirements.md#latency), so its tail matters.
 */
export function createSelfTelemetry(deps: SelfTelemetryDeps): SelfTelemetry {
  const { registry } = deps.metrics
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })
  loop.enable()
  let readings = 0
  let lastSampleAt = deps.now()
  const stats = () => deps.writer()?.stats()

  const names: string[] = []
  const gauge = (name: string, help: string, value: () => number) => {
    names.push(name)
    return new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(value())
      },
    })
  }
  gauge(
    'storeguard_influx_buffer_points',
    'points waiting in the InfluxDB disk buffer',
    () => stats()?.bufferPoints ?? 0,
  )
  gauge(
    'storeguard_influx_buffer_age_seconds',
    'age of the oldest point in the InfluxDB disk buffer',
    () => stats()?.bufferAgeSec ?? 0,
  )
  gauge(
    'storeguard_influx_write_latency_seconds',
    'duration of the last successful InfluxDB write',
    () => (stats()?.writeLatencyMs ?? 0) / 1000,
  )
  gauge('storeguard_influx_up', '1 while InfluxDB takes writes, 0 while points go to the disk buffer', () =>
    stats()?.state === 'down' ? 0 : 1,
  )
  names.push('storeguard_influx_dropped_points_total')
  const dropped = new Counter({
    name: 'storeguard_influx_dropped_points_total',
    help: 'points InfluxDB will never get, by reason (buffer_full, rejected, field_type_conflict, …)',
    labelNames: ['reason'],
    registers: [registry],
  })

  return {
    countReading() {
      readings++
    },
    async sample() {
      const at = deps.now()
      const elapsedSec = Math.max(0.001, (at - lastSampleAt) / 1000)
      const perSec = readings / elapsedSec
      readings = 0
      lastSampleAt = at
      // the histogram holds whole timer periods; the lag is what exceeds the period
      const lagMs = loop.count > 0 ? Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) : 0
      loop.reset()
      const memory = process.memoryUsage()
      const s = stats()
      return {
        readingsPerSec: round(perSec),
        messagesIn: await total(deps.metrics.mqttMessagesIn),
        rejected: await total(deps.metrics.rejected),
        bufferPoints: s?.bufferPoints ?? 0,
        bufferAgeSec: round(s?.bufferAgeSec ?? 0),
        writeLatencyMs: round(s?.writeLatencyMs ?? 0),
        eventLoopLagMs: round(lagMs),
        heapUsedMb: round(memory.heapUsed / MB),
        rssMb: round(memory.rss / MB),
        openAlarms: deps.openAlarms(),
        uptimeSec: Math.round(process.uptime()),
      }
    },
    dropped(reason, count) {
      dropped.inc({ reason }, count)
    },
    stop() {
      loop.disable()
      for (const name of names) registry.removeSingleMetric(name)
    },
  }
}

async function total(counter: Counter<string>): Promise<number> {
  return (await counter.get()).values.reduce((sum, v) => sum + v.value, 0)
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
