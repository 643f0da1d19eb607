import type { Registry } from 'prom-client'
import type { MqttBus } from '../bus/mqttBus.js'
import type { BridgeConfig } from '../config/schema.js'
import type { EventBus } from '../core/events.js'
import type { AlarmCommands } from '../core/ports.js'
import { createRateLimitedLog, type Logger } from '../log.js'
import type { NetworkFaults } from '../networkFaults/networkFaults.js'
import type { RecoveryEstimates } from '../networkFaults/recoveryEstimates.js'
import type { SqliteDatabase } from '../storage/database.js'
import { bridgeMetrics } from './bridgeMetrics.js'
import { type CentralCommands, type CommandReply, createCentralCommands } from './centralCommands.js'
import { type CentralLink, openCentralLink } from './centralLink.js'
import { forwardTelemetrySummaries } from './telemetrySummary.js'
import { teeToCentral, withMessageId } from './uplinkMessages.js'
import { createUplinkSender } from './uplinkSender.js'
import { createUplinkStore, type UplinkKind } from './uplinkStore.js'

export interface BridgeOptions {
  readonly config: BridgeConfig
  readonly storeId: string
  readonly topicPrefix: string
  readonly db: SqliteDatabase
  readonly events: EventBus
  readonly registry: Registry
  readonly log: Logger
  readonly now: () => number
}

export interface BridgeStatus {
  readonly connected: boolean
  /** Messages waiting for the centre's acknowledgement, in flight included. */
  readonly queued: number
  readonly oldestQueuedAt: string | null
}

export interface Bridge {
  /** The gateway's bus, with what the centre should see also queued for it. */
  tee(bus: MqttBus): MqttBus
  /**
   * Connects to the centre, once the gateway can act on its commands (until
   * then they wait in the central session); messages queued before are sent.
   */
  connect(
    alarms: Pick<AlarmCommands, 'ack' | 'shelve' | 'get'>,
    maxShelveSec: number,
    /** What the centre may say about faults (docs/requirements.md#network-fault). */
    faults?: {
      readonly networkFaults: Pick<NetworkFaults, 'declare' | 'clear'>
      readonly recoveryEstimates: Pick<RecoveryEstimates, 'set'>
    },
  ): void
  status(): BridgeStatus
  stop(): Promise<void>
}

/**
 * The upstream bridge (docs/requirements.md#upstream-bridge): the gateway's alarms, events,
 * notices and tickets — and, if asked, a per-device telemetry summary — go to
 * the chain's central broker under the same `<prefix>/…` topics, through a
 * durable queue; commands come back on `<prefix>/commands/…` only.
 */
export function startBridge(options: BridgeOptions): Bridge {
  const { config, topicPrefix, log: parentLog } = options
  const log = parentLog.child({ mod: 'bridge' })
  const store = createUplinkStore(options.db)
  let commands: CentralCommands | null = null
  let link: CentralLink | null = null // opened by connect()
  const status = (): BridgeStatus => {
    const oldest = store.oldestAt()
    return {
      connected: link?.isConnected() ?? false,
      queued: store.size(),
      oldestQueuedAt: oldest === null ? null : new Date(oldest).toISOString(),
    }
  }
  const metrics = bridgeMetrics(options.registry, status, options.now)
  const sender = createUplinkSender({
    store,
    maxInFlight: config.maxInFlight,
    maxQueued: config.maxQueued,
    onAcknowledged: (n) => metrics.sent.inc(n),
    onDropped: (n) => {
      metrics.dropped.inc(n)
      log.warn({ dropped: n, maxQueued: config.maxQueued }, 'central queue full: oldest messages dropped')
    },
  })
  const enqueue = (topic: string, payload: string | Buffer, kind: UplinkKind, retain: boolean) =>
    sender.enqueue({ topic, payload: withMessageId(payload), retain, kind, createdAt: options.now() })

  const refusedLog = createRateLimitedLog(log, 10_000, options.now)
  // alarms (ack, shelve) and network faults (docs/requirements.md#network-fault: declare, clear)
  const commandFilters = [`${topicPrefix}/commands/alarms/+/+`, `${topicPrefix}/commands/network-faults/+/+`]
  const onCommand = (topic: string, payload: Buffer) => {
    if (!commands) {
      metrics.commands.inc({ result: 'refused' })
      refusedLog('commands-off', { topic }, 'central command refused: bridge.commands.enabled is false')
      return
    }
    let reply: CommandReply
    try {
      reply = commands.handle(topic, payload)
    } catch (err) {
      // a bug in a command path must not take the gateway down with it
      log.error({ err, topic }, 'central command failed')
      metrics.commands.inc({ result: 'failed' })
      return
    }
    metrics.commands.inc({ result: reply.result })
    if (reply.result === 'refused' || reply.result === 'invalid') {
      const data = { topic, result: reply.result, error: reply.error }
      refusedLog(`${reply.result}:${topic}`, data, 'central command refused')
    } else {
      log.info({ topic, commandId: reply.commandId, result: reply.result }, 'central command')
    }
  }
  // Connected only once the gateway can act on commands: the persistent session hands over the
  // commands queued while we were away at once, and mqtt.js acknowledges them on receipt.
  const connect = (): CentralLink => {
    const opened = openCentralLink({
      config,
      storeId: options.storeId,
      statusTopic: `${topicPrefix}/gateway/status`,
      log,
      onConnect(client) {
        metrics.connected.set(1)
        if (config.commands.enabled) {
          client.subscribe(commandFilters, { qos: 1 }, (err) => {
            if (err) log.error({ err: err.message }, 'central command subscription refused')
          })
        } else {
          // the persistent session may still hold the subscription of an earlier run
          client.unsubscribe(commandFilters)
        }
        sender.connected(client)
      },
      onDisconnect() {
        metrics.connected.set(0)
        sender.disconnected()
      },
    })
    opened.client.on('message', onCommand)
    return opened
  }

  const stopTelemetry = config.telemetry.enabled
    ? forwardTelemetrySummaries(options.events, config.telemetry.intervalSec, (s) =>
        enqueue(`${topicPrefix}/telemetry/${s.deviceId}`, JSON.stringify(s), 'telemetry', false),
      )
    : () => {}
  const purgeTimer = setInterval(() => commands?.purge(options.now()), 3600_000)
  purgeTimer.unref()

  return {
    tee: (bus) => teeToCentral(bus, topicPrefix, enqueue),
    connect(alarms, maxShelveSec, faults) {
      if (link) return
      commands = !config.commands.enabled
        ? null
        : createCentralCommands({
            db: options.db,
            topicPrefix,
            alarms,
            role: config.commands.role,
            maxShelveSec,
            ...(faults ? { faults: faults.networkFaults, estimates: faults.recoveryEstimates } : {}),
            now: options.now,
            replied: (reply) => enqueue(`${topicPrefix}/command-results`, JSON.stringify(reply), 'event', false),
          })
      link = connect()
    },
    status,
    async stop() {
      stopTelemetry()
      clearInterval(purgeTimer)
      await link?.close()
      sender.stop()
    },
  }
}
