import type { InfluxConfig } from '../../config/influxSchema.js'
import { createRateLimitedLog, type Logger } from '../../log.js'
import { backfillRollups, ensureDatabase } from './databaseSetup.js'
import { type DiskBuffer, openDiskBuffer } from './diskBuffer.js'
import { classifyFailure, createInfluxClient, influxTls, sanitizePoint } from './influxClient.js'
import {
  INVALID,
  type InfluxInput,
  type InfluxWriterState,
  initialInfluxState,
  isUp,
  needsSetup,
  nextInfluxState,
  outageOpen,
} from './influxWriterStates.js'
import { createLineWriter } from './lineWriter.js'
import type { TelemetryPoint } from './points.js'
import { type DropCounts, type DropReason, writeBatch } from './writeBatch.js'

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

interface Batch {
  readonly seq: number
  readonly points: readonly TelemetryPoint[]
}

/**
 * Batches points by size (`batchSize`) and time (`flushMs`) and writes them
 * with precision ms (docs/requirements.md#influxdb); store-and-forward through a disk buffer
 * (docs/requirements.md#no-data-loss).
 *
 * Order. One pump does every write, one request at a time, oldest first:
 * while anything is in the disk buffer, live batches are appended to the
 * buffer too (never written around it), so each series reaches InfluxDB in
 * the order it was read; once the replay has emptied the buffer — checked and
 * switched in the same tick, so no batch slips between — live batches go
 * straight out again. Each batch gets a sequence number when it is cut, and
 * the buffer replays by it, so a batch that fails after later ones were
 * spilled (a slow InfluxDB) still goes first.
 *
 * Failures. Any connection error, timeout or 5xx marks InfluxDB `down`: the
 * batch and all that follows goes to the buffer, and a probe (`ping`, every
 * `probeIntervalMs`, on a pool that never takes its host out) decides when to
 * replay. A 4xx about the points drops those points (counted), never retried.
 * What is only in memory when the process is killed (at most `flushMs` of
 * points, and a write in flight) is lost; buffered points are not. While
 * InfluxDB is down nothing need be: `durable()` cuts what is pending at the
 * end of the tick, and markDown moves what was pending to disk at once.
 */
export function createInfluxWriter(options: InfluxWriterOptions): InfluxWriter {
  const { config, log: parentLog } = options
  const log = parentLog.child({ mod: 'influx' })
  // a full buffer or a device that keeps sending a conflicting type would otherwise log every flush
  const warnLimited = createRateLimitedLog(log, 60_000)
  const now = options.now ?? Date.now
  const tls = influxTls(config)
  const client = createInfluxClient(config, tls)
  // writes go out as line protocol over their own keep-alive connection; node-influx keeps the queries
  const lines = createLineWriter(config, tls)
  const buffer: DiskBuffer = openDiskBuffer(options.dataDir, config.bufferMaxPoints)
  if (!buffer.persistent)
    log.error({ dataDir: options.dataDir }, 'influx buffer file cannot be opened: buffering in memory')
  // more than this waiting in memory behind a slow write goes to disk
  const maxQueuedPoints = config.batchSize * 8

  let pending: TelemetryPoint[] = []
  let queue: Batch[] = []
  let queuedPoints = 0
  let seq = buffer.maxSeq()
  let state: InfluxWriterState = initialInfluxState(config.manageDatabase)
  let pump: Promise<void> | null = null
  let flushSoon: NodeJS.Immediate | null = null
  let onDisk: { promise: Promise<void>; resolve: () => void } | null = null
  let probeTimer: NodeJS.Timeout | null = null
  let lastLatencyMs = 0
  let written = 0
  let replayedSensorFrom: number | null = null

  /** Moves the state through the table; false (and no change) for an input the state does not take. */
  const fire = (input: InfluxInput): boolean => {
    const to = nextInfluxState(state, input)
    if (to === INVALID) return false
    state = to
    return true
  }

  const drop = (counts: DropCounts) => {
    for (const [reason, n] of Object.entries(counts) as [DropReason, number][]) {
      if (n > 0) options.onDropped?.(reason, n)
    }
  }

  const toDisk = (batch: Batch) => {
    if (batch.points.length === 0) return
    try {
      const dropped = buffer.append(batch.seq, batch.points, now())
      if (dropped.telemetry + dropped.keepLongest > 0) {
        warnLimited(
          'buffer_full',
          { ...dropped, bufferMaxPoints: config.bufferMaxPoints },
          'influx buffer full: oldest points dropped',
        )
        drop({ buffer_full: dropped.telemetry + dropped.keepLongest })
      }
    } catch (err) {
      log.error({ err, points: batch.points.length }, 'influx buffer append failed: points dropped')
      drop({ buffer_error: batch.points.length })
    }
  }

  const spillQueue = () => {
    for (const batch of queue) toDisk(batch)
    queue = []
    queuedPoints = 0
  }

  /**
   * Cuts what is pending into batches of at most `batchSize` points. On the
   * size trigger (`fullOnly`) a remainder smaller than a batch waits for more
   * points or for the flush timer; the timer and flush() cut it too.
   */
  const cutBatch = (fullOnly = false) => {
    if (flushSoon) clearImmediate(flushSoon)
    flushSoon = null
    let from = 0
    while (pending.length - from >= (fullOnly ? config.batchSize : 1)) {
      // the usual case, everything pending fits one batch: hand the array over instead of copying it
      const points =
        from === 0 && pending.length <= config.batchSize ? pending : pending.slice(from, from + config.batchSize)
      from += points.length
      const batch: Batch = { seq: ++seq, points }
      if (!isUp(state.link) || buffer.size() > 0 || state.run !== 'running') toDisk(batch)
      else {
        queue.push(batch)
        queuedPoints += points.length
        if (queuedPoints > maxQueuedPoints) spillQueue()
      }
    }
    if (from > 0) {
      pending = from === pending.length ? [] : pending.slice(from)
      kick()
    }
    // a batch cut during an outage went to disk (toDisk) before this line
    if (pending.length === 0 && onDisk) {
      onDisk.resolve()
      onDisk = null
    }
  }

  const markDown = (detail: unknown, input: 'unavailable' | 'missing_database' = 'unavailable') => {
    const from = state.link
    if (!fire(input) || !isUp(from)) return
    // once per outage: a server that answers the probe but refuses writes (401, 404) flips every probeIntervalMs
    if (!outageOpen(from)) log.warn({ detail, bufferPoints: buffer.size() }, 'InfluxDB unreachable: buffering to disk')
    // whatever waits in memory goes to disk too; its seq keeps it behind the batch that just failed
    spillQueue()
    // and what is pending: it was acknowledged while InfluxDB looked healthy, now a kill would lose it
    cutBatch()
    if (state.run !== 'running') return
    probeTimer = setInterval(probe, config.probeIntervalMs)
    probeTimer.unref()
  }

  const probe = () => {
    client.ping(config.timeoutMs).then(
      (hosts) => {
        if (!hosts.some((h) => h.online) || !fire('probe_ok')) return
        if (probeTimer) clearInterval(probeTimer)
        probeTimer = null
        log.debug({ bufferPoints: buffer.size() }, 'InfluxDB answers the probe: replaying the buffer')
        kick()
      },
      (err: unknown) => log.debug({ err }, 'InfluxDB probe failed'),
    )
  }

  /** DDL once per (re)connection when manageDatabase; false when InfluxDB is not there. */
  const ensureSchema = async (): Promise<boolean> => {
    if (!needsSetup(state.link)) return true
    try {
      const created = await ensureDatabase(client, config)
      if (created.length > 0) log.info({ database: config.database, created }, 'InfluxDB schema created')
      fire('schema_ready')
      return true
    } catch (err) {
      if (classifyFailure(err).kind === 'unavailable') {
        markDown(String(err))
        return false
      }
      // e.g. a user without admin rights on a database someone else manages: write anyway
      log.error({ err, database: config.database }, 'could not create the InfluxDB database, policies or queries')
      fire('schema_ready')
      return true
    }
  }

  const send = async (points: readonly TelemetryPoint[]) => {
    const result = await writeBatch(lines, points)
    written += result.done - Object.values(result.dropped).reduce((a, b) => a + b, 0)
    if (result.latencyMs !== null) lastLatencyMs = result.latencyMs
    drop(result.dropped)
    if (result.rejectedDetail !== null) {
      warnLimited(
        'rejected',
        { detail: result.rejectedDetail, dropped: result.dropped },
        'InfluxDB rejected points: dropped',
      )
    }
    if (result.done > 0) {
      const wasOpen = outageOpen(state.link)
      if (fire('write_ok') && wasOpen) log.info({ bufferPoints: buffer.size() }, 'InfluxDB takes writes again')
    }
    if (result.unavailable) {
      // a write that lands on a missing database re-runs the setup once InfluxDB answers again
      const missing = result.unavailable.status === 404 && config.manageDatabase
      markDown(result.unavailable, missing ? 'missing_database' : 'unavailable')
    }
    return result
  }

  const replayOne = async (): Promise<boolean> => {
    const batch = buffer.oldest(config.batchSize)
    const result = await send(batch.points)
    buffer.remove(batch.ids.slice(0, result.done))
    for (const p of batch.points.slice(0, result.done)) {
      if (p.measurement === 'sensor') replayedSensorFrom = Math.min(replayedSensorFrom ?? p.ts, p.ts)
    }
    if (buffer.size() === 0) replayDone()
    return result.unavailable === null
  }

  const replayDone = () => {
    log.info('influx buffer replayed')
    const from = replayedSensorFrom
    replayedSensorFrom = null
    if (from === null || !config.manageDatabase) return
    backfillRollups(client, config.database, from, now()).catch((err: unknown) =>
      log.warn({ err }, 'could not backfill the roll-ups of the replayed range'),
    )
  }

  const sendNextLive = async (): Promise<boolean> => {
    const batch = queue.shift()
    if (!batch) return false
    queuedPoints -= batch.points.length
    const result = await send(batch.points)
    if (result.unavailable === null) return true
    toDisk({ seq: batch.seq, points: batch.points.slice(result.done) })
    return false
  }

  const runPump = async () => {
    while (isUp(state.link)) {
      if (!(await ensureSchema())) return
      if (buffer.size() > 0) {
        // at stop, the buffer waits for the next start rather than holding the shutdown up
        if (state.run !== 'running' || !(await replayOne())) return
      } else if (!(await sendNextLive())) return
    }
  }

  function kick() {
    if (pump) return
    pump = runPump()
      .catch((err: unknown) => {
        // e.g. the buffer file became unreadable: wait for the probe instead of spinning on the same error
        log.error({ err }, 'influx writer failed')
        markDown(String(err))
      })
      .finally(() => {
        pump = null
        // a batch may have been cut while the pump was finishing
        if (isUp(state.link) && (queue.length > 0 || (buffer.size() > 0 && state.run === 'running'))) kick()
      })
  }

  const flushTimer = setInterval(() => cutBatch(), config.flushMs)
  flushTimer.unref()
  kick()

  const idle = async () => {
    while (pump) await pump
  }

  return {
    add(point) {
      if (state.run !== 'running') return
      const clean = sanitizePoint(point)
      if (!clean) {
        drop({ invalid: 1 })
        return
      }
      pending.push(clean)
      // a full batch goes at the end of this tick, not after flushMs (docs/requirements.md#influxdb: by size and by time)
      if (pending.length >= config.batchSize && !flushSoon) flushSoon = setImmediate(cutBatch, true)
    },
    durable() {
      if (isUp(state.link) || pending.length === 0) return null
      if (!onDisk) {
        let resolve: () => void = () => undefined
        const promise = new Promise<void>((r) => {
          resolve = r
        })
        onDisk = { promise, resolve }
        // a size-triggered cut would leave the remainder for flushMs; this one takes all
        if (flushSoon) clearImmediate(flushSoon)
        flushSoon = setImmediate(cutBatch)
      }
      return onDisk.promise
    },
    async flush() {
      cutBatch()
      await idle()
    },
    stats() {
      const oldest = state.run === 'closed' ? null : buffer.oldestBufferedAt()
      return {
        state: isUp(state.link) ? 'up' : 'down',
        bufferPoints: buffer.size(),
        bufferAgeSec: oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000),
        writeLatencyMs: lastLatencyMs,
        writtenPoints: written,
      }
    },
    async stop() {
      if (nextInfluxState(state, 'stop') === INVALID) return
      clearInterval(flushTimer)
      // cut while still running: a healthy InfluxDB gets this last batch directly
      cutBatch()
      fire('stop')
      if (probeTimer) clearInterval(probeTimer)
      await idle()
      spillQueue()
      const left = pending
      pending = []
      toDisk({ seq: ++seq, points: left })
      buffer.close()
      fire('close')
      log.info({ bufferPoints: buffer.size() }, 'influx writer stopped')
    },
  }
}
