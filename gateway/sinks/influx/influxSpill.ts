import type { InfluxConfig } from '../../config/influxSchema.js'
import type { Logger, RateLimitedLog } from '../../log.js'
import type { DiskBuffer } from './diskBuffer.js'
import { type LineChunk, linesOf } from './lineBatch.js'
import type { DropCounts, DropReason } from './writeBatch.js'

/** A cut of pending points, as line protocol; its seq orders it against every other batch, in memory or on disk. */
export interface Batch {
  readonly seq: number
  readonly chunk: LineChunk
}

/**
 * The disk side of store-and-forward: batches that cannot go to InfluxDB now
 * go to the buffer, and every point lost on the way (buffer full, buffer
 * unwritable) is counted rather than vanishing.
 */
export interface Spill {
  /** Reports dropped points, by reason. */
  drop(counts: DropCounts): void
  toDisk(batch: Batch): void
}

export interface SpillOptions {
  readonly config: InfluxConfig
  readonly log: Logger
  readonly warnLimited: RateLimitedLog
  readonly buffer: DiskBuffer
  readonly now: () => number
  readonly onDropped?: ((reason: DropReason, count: number) => void) | undefined
}

export function createSpill(o: SpillOptions): Spill {
  const drop = (counts: DropCounts) => {
    for (const [reason, n] of Object.entries(counts) as [DropReason, number][]) {
      if (n > 0) o.onDropped?.(reason, n)
    }
  }

  const toDisk = (batch: Batch) => {
    const points = linesOf(batch.chunk)
    if (points === 0) return
    try {
      const dropped = o.buffer.append(batch.seq, batch.chunk, o.now())
      if (dropped.telemetry + dropped.keepLongest > 0) {
        o.warnLimited(
          'buffer_full',
          { ...dropped, bufferMaxPoints: o.config.bufferMaxPoints },
          'influx buffer full: oldest points dropped',
        )
        drop({ buffer_full: dropped.telemetry + dropped.keepLongest })
      }
    } catch (err) {
      o.log.error({ err, points }, 'influx buffer append failed: points dropped')
      drop({ buffer_error: points })
    }
  }

  return { drop, toDisk }
}
