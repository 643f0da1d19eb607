import type { DiskBuffer } from './diskBuffer.js'
import type { BatchResult } from './writeBatch.js'

export interface InfluxWriterStats {
  /** `up` while writes succeed; `down` from a failed write until the probe sees InfluxDB again. */
  readonly state: 'up' | 'down'
  readonly bufferPoints: number
  /** Seconds since the oldest buffered point was buffered; 0 when the buffer is empty. */
  readonly bufferAgeSec: number
  /** Duration of the last successful write request, ms (0 before the first). */
  readonly writeLatencyMs: number
  /** Points written since start (live and replayed). */
  readonly writtenPoints: number
}

/** The writer's counters: what its writes did, read back by `stats()`. */
export interface WriteStats {
  /** Counts the points a write stored and keeps its latency. */
  noteWrite(result: BatchResult): void
  /** `closed`: the buffer is closed and has no oldest point to ask for. */
  snapshot(up: boolean, buffer: DiskBuffer, closed: boolean, now: number): InfluxWriterStats
}

export function createWriteStats(): WriteStats {
  let lastLatencyMs = 0
  let written = 0
  return {
    noteWrite(result) {
      written += result.done - Object.values(result.dropped).reduce((a, b) => a + b, 0)
      if (result.latencyMs !== null) lastLatencyMs = result.latencyMs
    },
    snapshot(up, buffer, closed, now) {
      const oldest = closed ? null : buffer.oldestBufferedAt()
      return {
        state: up ? 'up' : 'down',
        bufferPoints: buffer.size(),
        bufferAgeSec: oldest === null ? 0 : Math.max(0, (now - oldest) / 1000),
        writeLatencyMs: lastLatencyMs,
        writtenPoints: written,
      }
    },
  }
}
