import type { DestinationStream } from 'pino'
import { createMqttOutputWriter } from '../../devices/mqtt/mqttOutputWriter.js'
import { createSimulator } from '../../devices/sim/simulator.js'
import { enabledRules } from '../../rules/registry.js'
import { wireAlarmSideEffects } from '../alarmSideEffects.js'
import { createAlarmService } from '../alarms/alarmService.js'
import { createAlarmStore } from '../alarms/alarmStore.js'
import { createMqttStatePublisher } from '../alarms/mqttStatePublisher.js'
import type { EmbeddedBroker } from '../broker/embeddedBroker.js'
import { createCalendar } from '../calendar/createCalendar.js'
import { loadGatewayTls } from '../config/listenerTls.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import { securityWarnings } from '../config/securityWarnings.js'
import { type Clock, systemClock } from '../core/clock.js'
import { connectHost } from '../core/connectHost.js'
import { EventBus } from '../core/events.js'
import type { HealthReport, JournalStatus } from '../core/ports.js'
import type { Reading } from '../core/reading.js'
import { createChatterFilter } from '../engine/chatterFilter.js'
import { createDeviceState } from '../engine/deviceState.js'
import { createIntentDispatcher } from '../engine/intentDispatcher.js'
import { createRuleEngine } from '../engine/ruleEngine.js'
import { createApiServer } from '../http/apiServer.js'
import { listen } from '../http/listen.js'
import { createLogger, type Logger } from '../log.js'
import { secretValues } from '../logRedaction.js'
import { createMetrics, type GatewayMetrics, registerNotificationMetrics } from '../metrics.js'
import { createNoticeService } from '../notices/noticeService.js'
import { createNoticeStore } from '../notices/noticeStore.js'
import { startNotifications } from '../notifications/notifications.js'
import { createOutputArbiter } from '../outputArbiter.js'
import { createOutputRouter, type OutputWriter } from '../outputRouter.js'
import { startSinks } from '../sinks/registry.js'
import type { SqliteDatabase } from '../storage/database.js'
import { createJournal, type JournalHealth } from '../storage/journal.js'
import { createFieldAdapters } from './fieldAdapters.js'
import { adapterOutput, countingSource, createStringCleaner, subscribeWeather } from './inputs.js'
import { createJournalFault } from './journalFault.js'
import { registerJournalMetrics } from './journalMetrics.js'
import { startBus } from './startBus.js'
import { startTicketing } from './ticketing.js'

export interface RunningGateway {
  readonly config: LoadedConfig
  readonly apiUrl: string
  /** The embedded broker's plain port, or null when using an external broker or `broker.plain: false`. */
  readonly mqttPort: number | null
  /** The embedded broker's mqtts port, or null without `broker.tls`. */
  readonly mqttsPort: number | null
  readonly log: Logger
  stop(): Promise<void>
}

export interface StartOptions {
  readonly clock?: Clock
  readonly logDestination?: DestinationStream
}

/** Rules with hold times and heartbeats are ticked this often. */
const TICK_MS = 1000

/**
 * The composition root (docs/design.md#layout): the only place that knows every module.
 * Order matters: the journal opens before the broker so the first message can
 * already be journaled; open alarms are republished before devices are read.
 */
export async function startGateway(config: LoadedConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const clock = options.clock ?? systemClock
  const log = createLogger(config.log.level, options.logDestination, secretValues(config))
  // the effective config, defaults filled in, for whoever debugs a store; the logger blanks its secrets
  log.debug({ config }, 'config loaded')
  // what `storeguard validate` warns about, said once at every start too: secrets in clear, checks turned off
  for (const w of securityWarnings(config)) log.warn({ setting: w.path }, `insecure setting: ${w.message}`)
  // certificate files are read and checked before anything opens, so a wrong path stops the start cleanly
  const tls = loadGatewayTls(config)
  const metrics = createMetrics()
  // a full or read-only data disk degrades the journal to memory; it never stops the gateway (README "Degraded mode")
  const journal = createJournal({
    dataDir: config.storage.dataDir,
    maxPending: config.storage.journalMaxPendingWrites,
    log,
    now: clock.now,
  })
  registerJournalMetrics(metrics.registry, journal)
  const db = journal.db
  const statusTopic = `${config.topicPrefix}/gateway/status`

  const local = await startBus(config, log, metrics, statusTopic, tls.broker)
  const { broker } = local
  const events = new EventBus((err) => log.error({ err }, 'event listener failed'))
  const bridge = await startBridgeIfConfigured(config, db, events, metrics, log, clock)
  // what the centre should see goes through the bridge's durable queue too
  const bus = bridge ? bridge.tee(local.bus) : local.bus
  const publisher = createMqttStatePublisher(bus, config.topicPrefix)
  const locale = config.store.locale
  const alarms = createAlarmService({
    store: createAlarmStore(db),
    publisher: publisher.alarms,
    events,
    clock,
    locale,
    metrics,
  })
  const notices = createNoticeService({
    store: createNoticeStore(db),
    publisher: publisher.notices,
    events,
    clock,
    locale,
  })
  const journalFault = createJournalFault(alarms)
  journal.onChange(journalFault.sync)
  journalFault.sync(journal.health())
  alarms.republishOpen()
  notices.republishActive()
  bridge?.connect(alarms, config.alarms.maxShelveSec)

  const engineLog = log.child({ mod: 'engine' })
  const mqttOutputs = createMqttOutputWriter(config.topicPrefix, config.devices, (topic, payload) =>
    bus.publish(topic, payload, { qos: 1 }),
  )
  // field adapters start after the engine they feed; the router finds them here once they exist
  const writers: OutputWriter[] = [mqttOutputs]
  const output = createOutputRouter(writers, log)
  const arbiter = createOutputArbiter(output)
  const syncOutputs = wireAlarmSideEffects(config, events, alarms.open, arbiter, publisher.event, clock)

  const devices = createDeviceState(config.devices, config.rules.deviceHealth)
  const deviceDirectory = devices.directory((deviceId) =>
    alarms
      .list()
      .filter((a) => a.kind === 'device_fault' && a.deviceId === deviceId && a.conditionActive)
      .map((a) => ({
        reason: String(a.details.reason ?? a.key.split(':').at(-1)),
        since: a.raisedAt,
        message: a.message,
        silent: a.silent,
      })),
  )
  const ticketing = startTicketing({
    config,
    db,
    bus,
    events,
    clock,
    log,
    metrics,
    notices,
    alarms,
    devices: deviceDirectory,
  })
  const notifications = config.notifications.enabled
    ? startNotifications({
        config: config.notifications,
        db,
        events,
        clock,
        log,
        isOpen: createCalendar(config.store, { ...config.tickets, calendar: 'store' }).isOpen,
        timeZone: config.store.timeZone,
        locale,
        storeName: config.store.name,
        // alarms still open and unacknowledged across a restart keep escalating
        openAlarms: () => alarms.list(),
        outputs: arbiter,
        deviceNames: Object.fromEntries(config.devices.flatMap((d) => (d.name === undefined ? [] : [[d.id, d.name]]))),
      })
    : null
  if (notifications) registerNotificationMetrics(metrics.registry, notifications.outbox)
  const dispatcher = createIntentDispatcher({
    alarms,
    notices,
    chatter: createChatterFilter(config.alarms),
    now: clock.now,
    output,
    ticketRequested: (event) => {
      publisher.event(event)
      events.emit(event)
      ticketing.request(event)
    },
    inhibited: (intent, reason) => engineLog.info({ key: intent.key, reason }, 'alarm inhibited'),
  })
  const engine = createRuleEngine({
    store: config.store.id,
    rules: enabledRules(config.rules),
    devices,
    openAlarm: alarms.byKey,
    dispatcher,
    clock,
    onRuleError: (ruleId, err) => engineLog.error({ ruleId, err }, 'rule failed on a reading'),
  })
  const source = countingSource(bus, metrics)
  // docs/requirements.md#influxdb: readings reach the event bus (for InfluxDB) after the engine has acted on them
  const onReading = (reading: Reading) => {
    engine.onReading(reading)
    events.emit({ type: 'reading', reading })
  }
  const toEngine = adapterOutput({ onReading, onCommStatus: engine.onCommStatus }, metrics, log)
  const sinks = await startSinks({
    config,
    events,
    devices: deviceDirectory,
    openAlarms: () => alarms.list().length,
    ...(bridge ? { central: () => bridge.status() } : {}),
    metrics,
    log,
    now: clock.now,
  })
  const field = await createFieldAdapters({ config, clock, log, output: toEngine, source: bus, messages: source })
  writers.unshift(...field.writers)
  syncOutputs()
  await field.start()
  await subscribeWeather(
    source,
    `${config.topicPrefix}/weather`,
    clock,
    engine.onWeather,
    toEngine.rejected,
    createStringCleaner(metrics, log),
  )
  // every handler is in: device messages held so far go to the engine, then are acknowledged;
  // during an InfluxDB outage only once their readings are in the disk buffer
  await local.bus.startDelivery(() => sinks.durable())
  const ticker = setInterval(() => {
    journal.retry()
    if (!journal.health().up) journalFault.sync(journal.health())
    engine.tick()
    alarms.unshelveExpired()
    notices.expire()
    ticketing.tick(clock.now())
    notifications?.tick(clock.now())
  }, TICK_MS)
  ticker.unref()

  const startedAt = clock.now()
  const health = (): HealthReport => {
    const brokerUp = bus.isConnected()
    const journalHealth = journal.health()
    return {
      status: brokerUp && journalHealth.up ? 'ok' : 'degraded',
      store: config.store.id,
      uptimeSec: Math.round((clock.now() - startedAt) / 1000),
      broker: brokerUp ? 'up' : 'down',
      journal: journalSummary(journalHealth),
      // unauthenticated: silent alarms (robbery, docs/requirements.md#robbery) must not show here
      openAlarms: alarms.list().filter((a) => !a.silent).length,
      ...(bridge ? { central: bridge.status() } : {}),
    }
  }
  const api = createApiServer({
    ...(tls.api ? { https: tls.api } : {}),
    users: config.api.users,
    alarms,
    devices: deviceDirectory,
    notices,
    tickets: ticketing.commands,
    ...(notifications ? { notifications: notifications.outbox } : {}),
    health,
    metrics,
    log,
    now: clock.now,
    maxShelveSec: config.alarms.maxShelveSec,
    resetRoleFor: (id) => alarms.get(id)?.resetRole ?? 'staff',
    console: {
      store: { id: config.store.id, name: config.store.name, locale, timeZone: config.store.timeZone },
      changes: (listener) => events.subscribe(listener),
    },
  })
  const bound = await listen(api, config.api.host, config.api.port)

  const simulator = startDemoSimulator(config, broker, log)
  const mqttsPort = broker?.tlsPort ?? null
  log.info(
    {
      api: bound.url,
      mqttPort: broker?.port ?? null,
      ...(mqttsPort === null ? {} : { mqttsPort }),
      store: config.store.id,
    },
    'gateway started',
  )

  let stopped = false
  return {
    config,
    apiUrl: bound.url,
    mqttPort: broker?.port ?? null,
    mqttsPort,
    log,
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(ticker)
      ticketing.stop()
      await notifications?.stop()
      arbiter.stop()
      await simulator?.stop()
      await api.close()
      await field.stop()
      await sinks.stop()
      bus.publish(statusTopic, 'offline', { retain: true, qos: 1 })
      await bus.close()
      await bridge?.stop()
      await broker?.close()
      journal.close()
      log.info('gateway stopped')
    },
  }
}

function journalSummary(h: JournalHealth): JournalStatus {
  return h.up
    ? { state: 'up' }
    : {
        state: 'down',
        reason: h.reason ?? 'unknown',
        memoryOnly: h.memoryOnly,
        pendingWrites: h.pending,
        lostWrites: h.lostTotal,
      }
}

async function startBridgeIfConfigured(
  config: LoadedConfig,
  db: SqliteDatabase,
  events: EventBus,
  metrics: GatewayMetrics,
  log: Logger,
  clock: Clock,
) {
  if (!config.bridge?.enabled) return null
  // mqtt.js is loaded only for a gateway that has a centre (or an external broker)
  const { startBridge } = await import('../bridge/startBridge.js')
  return startBridge({
    config: config.bridge,
    storeId: config.store.id,
    topicPrefix: config.topicPrefix,
    db,
    events,
    registry: metrics.registry,
    log,
    now: clock.now,
  })
}

function startDemoSimulator(config: LoadedConfig, broker: EmbeddedBroker | null, log: Logger) {
  const sim = config.demo?.simulator
  // the simulator speaks plain MQTT; the config check keeps broker.plain on while it is enabled
  if (!sim?.enabled || broker === null || broker.port === null) return null
  const simulator = createSimulator({
    url: `mqtt://${connectHost(config.broker.host)}:${broker.port}`,
    username: sim.username,
    password: sim.password,
    topicPrefix: config.topicPrefix,
    // Modbus and GPIO devices are simulated on their own wires (startFieldAdapters)
    devices: config.devices.filter((d) => !d.modbus && !d.gpio),
    intervalSec: sim.intervalSec,
    log,
  })
  simulator.start()
  return simulator
}
