import { createRateLimitedLog } from '../../log.js'
import { type DiskBuffer, openDiskBuffer } from './diskBuffer.js'
import { createInfluxClient, influxTls } from './influxClient.js'
import { createLifecycle, createOutageWatch } from './influxOutage.js'
import { type Batch, createSpill } from './influxSpill.js'
import type { InfluxWriter, InfluxWriterOptions } from './influxWriterApi.js'
import { INVALID, isUp, nextInfluxState, outageOpen } from './influxWriterStates.js'
import { createWriteStats } from './influxWriterStats.js'
import { bodyOf, createLineBatch, dropLeadingLines, type LineChunk, linesOf } from './lineBatch.js'
import { createLineWriter } from './lineWriter.js'
import { writeBatch } from './writeBatch.js'

export type { InfluxWriter, InfluxWriterOptions } from './influxWriterApi.js'
export type { InfluxWriterStats } from './influxWriterStats.js'

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
 * straight out again. A point becomes its line of line protocol as it is
 * added (lineBatch), so no task serialises a whole batch at once and a batch
 * goes to the wire or the disk buffer as the text it already is. Each batch
 * gets a sequence number when it is cut, and
 * the buffer replays by it, so a batch that fails after later ones were
 * spilled (a slow InfluxDB) still goes first.
 *
 * The outage probe and recovery live in influxOutage, the disk spill in
 * influxSpill, the counters in influxWriterStats.
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

  /** Points since the last cut, and the full batches sealed since (cut at the end of the tick). */
  const pending = createLineBatch()
  let sealed: LineChunk[] = []
  let queue: Batch[] = []
  let queuedPoints = 0
  let seq = buffer.maxSeq()
  const life = createLifecycle(config.manageDatabase)
  const { fire } = life
  let pump: Promise<void> | null = null
  let flushSoon: NodeJS.Immediate | null = null
  let onDisk: { promise: Promise<void>; resolve: () => void } | null = null
  const counters = createWriteStats()
  const { drop, toDisk } = createSpill({ config, log, warnLimited, buffer, now, onDropped: options.onDropped })

  const spillQueue = () => {
    for (const batch of queue) toDisk(batch)
    queue = []
    queuedPoints = 0
  }

  /**
   * Hands on the batches sealed at `batchSize` points (add() seals them) and,
   * unless `fullOnly` (the size trigger), what is pending too: a remainder
   * smaller than a batch waits for more points or for the flush timer; the
   * timer and flush() cut it too.
   */
  const cutBatch = (fullOnly = false) => {
    if (flushSoon) clearImmediate(flushSoon)
    flushSoon = null
    const chunks = sealed
    sealed = []
    if (!fullOnly && pending.size > 0) chunks.push(pending.seal())
    for (const chunk of chunks) {
      const batch: Batch = { seq: ++seq, chunk }
      if (!isUp(life.state.link) || buffer.size() > 0 || life.state.run !== 'running') toDisk(batch)
      else {
        queue.push(batch)
        queuedPoints += linesOf(chunk)
        if (queuedPoints > maxQueuedPoints) spillQueue()
      }
    }
    if (chunks.length > 0) kick()
    // a batch cut during an outage went to disk (toDisk) before this line
    if (pending.size === 0 && sealed.length === 0 && onDisk) {
      onDisk.resolve()
      onDisk = null
    }
  }

  const outage = createOutageWatch({
    config,
    log,
    client,
    buffer,
    life,
    now,
    spillMemory: () => {
      spillQueue()
      // and what is pending: it was acknowledged while InfluxDB looked healthy, now a kill would lose it
      cutBatch()
    },
    kick: () => kick(),
  })

  const send = async (body: string, count: number) => {
    const result = await writeBatch(lines, body, count)
    counters.noteWrite(result)
    drop(result.dropped)
    if (result.rejectedDetail !== null) {
      warnLimited(
        'rejected',
        { detail: result.rejectedDetail, dropped: result.dropped },
        'InfluxDB rejected points: dropped',
      )
    }
    if (result.done > 0) {
      const wasOpen = outageOpen(life.state.link)
      if (fire('write_ok') && wasOpen) log.info({ bufferPoints: buffer.size() }, 'InfluxDB takes writes again')
    }
    if (result.unavailable) {
      // a write that lands on a missing database re-runs the setup once InfluxDB answers again
      const missing = result.unavailable.status === 404 && config.manageDatabase
      outage.markDown(result.unavailable, missing ? 'missing_database' : 'unavailable')
    }
    return result
  }

  const replayOne = async (): Promise<boolean> => {
    const batch = buffer.oldest(config.batchSize)
    const result = await send(batch.body, batch.lines)
    buffer.remove(batch, result.done)
    if (result.done > 0) outage.noteReplayed(batch.sensorFrom)
    if (buffer.size() === 0) outage.replayDone()
    return result.unavailable === null
  }

  const sendNextLive = async (): Promise<boolean> => {
    const batch = queue.shift()
    if (!batch) return false
    const count = linesOf(batch.chunk)
    queuedPoints -= count
    const result = await send(bodyOf(batch.chunk), count)
    if (result.unavailable === null) return true
    toDisk({ seq: batch.seq, chunk: dropLeadingLines(batch.chunk, result.done) })
    return false
  }

  const runPump = async () => {
    while (isUp(life.state.link)) {
      if (!(await outage.ensureSchema())) return
      if (buffer.size() > 0) {
        // at stop, the buffer waits for the next start rather than holding the shutdown up
        if (life.state.run !== 'running' || !(await replayOne())) return
      } else if (!(await sendNextLive())) return
    }
  }

  function kick() {
    if (pump) return
    pump = runPump()
      .catch((err: unknown) => {
        // e.g. the buffer file became unreadable: wait for the probe instead of spinning on the same error
        log.error({ err }, 'influx writer failed')
        outage.markDown(String(err))
      })
      .finally(() => {
        pump = null
        // a batch may have been cut while the pump was finishing
        if (isUp(life.state.link) && (queue.length > 0 || (buffer.size() > 0 && life.state.run === 'running'))) kick()
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
      if (life.state.run !== 'running') return
      if (!pending.add(point)) {
        drop({ invalid: 1 })
        return
      }
      if (pending.size < config.batchSize) return
      sealed.push(pending.seal())
      // a full batch goes at the end of this tick, not after flushMs (docs/requirements.md#influxdb: by size and by time)
      flushSoon ??= setImmediate(cutBatch, true)
    },
    durable() {
      if (isUp(life.state.link) || (pending.size === 0 && sealed.length === 0)) return null
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
      return counters.snapshot(isUp(life.state.link), buffer, life.state.run === 'closed', now())
    },
    async stop() {
      if (nextInfluxState(life.state, 'stop') === INVALID) return
      clearInterval(flushTimer)
      // cut while still running: a healthy InfluxDB gets this last batch directly
      cutBatch()
      fire('stop')
      outage.stopProbe()
      await idle()
      spillQueue()
      for (const chunk of [...sealed, pending.seal()]) toDisk({ seq: ++seq, chunk })
      sealed = []
      buffer.close()
      fire('close')
      log.info({ bufferPoints: buffer.size() }, 'influx writer stopped')
    },
  }
}
