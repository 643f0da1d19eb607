import type { InfluxConfig } from '../../config/influxSchema.js'
import type { Logger } from '../../log.js'
import type { InfluxWriterStats } from './influxWriterStats.js'
import type { TelemetryPoint } from './points.js'
import type { DropReason } from './writeBatch.js'

/** What the InfluxDB writer offers its sink and takes to start; the writer itself is in influxWriter. */
export interface InfluxWriter {
  /** Queues one point. Synchronous, never throws, never waits for I/O. */
  add(point: TelemetryPoint): void
  /**
   * While InfluxDB is down: resolves once every point added so far is in the
   * disk buffer (one commit for all the points of this tick). Null when
   * nothing waits for that: InfluxDB takes writes, or nothing is pending.
   */
  durable(): Promise<void> | null
  /** Writes (or buffers) what is queued now and resolves when the writer is idle again. For tests and stop. */
  flush(): Promise<void>
  stats(): InfluxWriterStats
  /** Flushes, waits at most for the write in flight, buffers whatever is left, closes the buffer. */
  stop(): Promise<void>
}

export interface InfluxWriterOptions {
  readonly config: InfluxConfig
  /** The gateway's data dir; the buffer is `influx-buffer.db` in it. */
  readonly dataDir: string
  readonly log: Logger
  readonly now?: () => number
  /** Called for every point dropped, by reason (a metric counter). */
  readonly onDropped?: (reason: DropReason, count: number) => void
}
