import type { InfluxDB } from 'influx'
import type { InfluxConfig } from '../../config/influxSchema.js'
import type { Logger } from '../../log.js'
import { backfillRollups, ensureDatabase } from './databaseSetup.js'
import type { DiskBuffer } from './diskBuffer.js'
import { classifyFailure } from './influxClient.js'
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

/** The writer's place in the state table, shared by the write loop and the outage watch. */
export interface WriterLifecycle {
  readonly state: InfluxWriterState
  /** Moves the state through the table; false (and no change) for an input the state does not take. */
  fire(input: InfluxInput): boolean
}

export function createLifecycle(manageDatabase: boolean): WriterLifecycle {
  let state: InfluxWriterState = initialInfluxState(manageDatabase)
  return {
    get state() {
      return state
    },
    fire(input) {
      const to = nextInfluxState(state, input)
      if (to === INVALID) return false
      state = to
      return true
    },
  }
}

/**
 * Outage and recovery: marking InfluxDB down, probing until it answers,
 * (re)creating the database on the way back, and back-filling the roll-ups
 * of what the replay wrote. The write loop only reports failures here and
 * asks whether the schema is ready.
 */
export interface OutageWatch {
  markDown(detail: unknown, input?: 'unavailable' | 'missing_database'): void
  /** DDL once per (re)connection when manageDatabase; false when InfluxDB is not there. */
  ensureSchema(): Promise<boolean>
  /** Notes the earliest `sensor` timestamp the replay stored (ms), for the roll-up back-fill. */
  noteReplayed(sensorFrom: number | null): void
  /** The buffer is empty again. */
  replayDone(): void
  stopProbe(): void
}

export interface OutageWatchOptions {
  readonly config: InfluxConfig
  readonly log: Logger
  readonly client: InfluxDB
  readonly buffer: DiskBuffer
  readonly life: WriterLifecycle
  readonly now: () => number
  /** Moves everything waiting in memory to the disk buffer, in order. */
  readonly spillMemory: () => void
  /** Starts the write loop, if it is not running. */
  readonly kick: () => void
}

export function createOutageWatch(o: OutageWatchOptions): OutageWatch {
  const { config, log, client, buffer, life } = o
  let probeTimer: NodeJS.Timeout | null = null
  let replayedSensorFrom: number | null = null

  const markDown: OutageWatch['markDown'] = (detail, input = 'unavailable') => {
    const from = life.state.link
    if (!life.fire(input) || !isUp(from)) return
    // once per outage: a server that answers the probe but refuses writes (401, 404) flips every probeIntervalMs
    if (!outageOpen(from)) log.warn({ detail, bufferPoints: buffer.size() }, 'InfluxDB unreachable: buffering to disk')
    // whatever waits in memory goes to disk too; its seq keeps it behind the batch that just failed
    o.spillMemory()
    if (life.state.run !== 'running') return
    probeTimer = setInterval(probe, config.probeIntervalMs)
    probeTimer.unref()
  }

  const probe = () => {
    client.ping(config.timeoutMs).then(
      (hosts) => {
        if (!hosts.some((h) => h.online) || !life.fire('probe_ok')) return
        if (probeTimer) clearInterval(probeTimer)
        probeTimer = null
        log.debug({ bufferPoints: buffer.size() }, 'InfluxDB answers the probe: replaying the buffer')
        o.kick()
      },
      (err: unknown) => log.debug({ err }, 'InfluxDB probe failed'),
    )
  }

  return {
    markDown,

    async ensureSchema() {
      if (!needsSetup(life.state.link)) return true
      try {
        const created = await ensureDatabase(client, config)
        if (created.length > 0) log.info({ database: config.database, created }, 'InfluxDB schema created')
        life.fire('schema_ready')
        return true
      } catch (err) {
        if (classifyFailure(err).kind === 'unavailable') {
          markDown(String(err))
          return false
        }
        // e.g. a user without admin rights on a database someone else manages: write anyway
        log.error({ err, database: config.database }, 'could not create the InfluxDB database, policies or queries')
        life.fire('schema_ready')
        return true
      }
    },

    noteReplayed(sensorFrom) {
      if (sensorFrom !== null) replayedSensorFrom = Math.min(replayedSensorFrom ?? sensorFrom, sensorFrom)
    },

    replayDone() {
      log.info('influx buffer replayed')
      const from = replayedSensorFrom
      replayedSensorFrom = null
      if (from === null || !config.manageDatabase) return
      backfillRollups(client, config.database, from, o.now()).catch((err: unknown) =>
        log.warn({ err }, 'could not backfill the roll-ups of the replayed range'),
      )
    },

    stopProbe() {
      if (probeTimer) clearInterval(probeTimer)
    },
  }
}
