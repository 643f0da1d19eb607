import type { DestinationStream } from 'pino'
import type { AdapterOutput, MqttMessageSource } from '../devices/adapter.js'
import { createMqttDeviceAdapter } from '../devices/mqtt/mqttDeviceAdapter.js'
import { createSimulator } from '../devices/sim/simulator.js'
import { enabledRules } from '../rules/registry.js'
import { createAlarmService } from './alarms/alarmService.js'
import { createAlarmStore } from './alarms/alarmStore.js'
import { createBrokerAcl } from './broker/brokerAcl.js'
import { createEmbeddedBroker, type EmbeddedBroker } from './broker/embeddedBroker.js'
import { createClientBus } from './bus/clientBus.js'
import { connectHost } from './bus/connectHost.js'
import { createEmbeddedBus } from './bus/embeddedBus.js'
import type { MqttBus } from './bus/mqttBus.js'
import type { LoadedConfig } from './config/loadConfig.js'
import { type Clock, systemClock } from './core/clock.js'
import { EventBus } from './core/events.js'
import { createDeviceState } from './engine/deviceState.js'
import { createRuleEngine } from './engine/ruleEngine.js'
import type { HealthReport } from './http/apiPorts.js'
import { createApiServer } from './http/apiServer.js'
import { listen } from './http/listen.js'
import { createLogger, createRateLimitedLog, type Logger } from './log.js'
import { createMetrics, type GatewayMetrics } from './metrics.js'
import { createMqttStatePublisher } from './publish/mqttStatePublisher.js'
import { openDatabase } from './storage/database.js'

export interface RunningGateway {
  readonly config: LoadedConfig
  readonly apiUrl: string
  /** The embedded broker's port, or null when using an external broker. */
  readonly mqttPort: number | null
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
 * The composition root (STYLE §2): the only place that knows every module.
 * Order matters: the journal opens before the broker so the first message can
 * already be journaled; open alarms are republished before devices are read.
 */
export async function startGateway(config: LoadedConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const clock = options.clock ?? systemClock
  const log = createLogger(config.log.level, options.logDestination)
  const metrics = createMetrics()
  const db = openDatabase(config.storage.dataDir)
  const statusTopic = `${config.topicPrefix}/gateway/status`

  const { bus, broker } = await startBus(config, log, metrics, statusTopic)
  const events = new EventBus((err) => log.error({ err }, 'event listener failed'))
  const alarms = createAlarmService({
    store: createAlarmStore(db),
    publisher: createMqttStatePublisher(bus, config.topicPrefix),
    events,
    clock,
    locale: config.store.locale,
    metrics,
  })
  alarms.republishOpen()

  const devices = createDeviceState(config.devices)
  const engineLog = log.child({ mod: 'engine' })
  const engine = createRuleEngine({
    store: config.store.id,
    rules: enabledRules(config.rules),
    devices,
    alarms,
    clock,
    output: (intent) => engineLog.info({ intent }, 'no output adapter owns this device yet'),
    onRuleError: (ruleId, err) => engineLog.error({ ruleId, err }, 'rule failed on a reading'),
  })
  const adapter = createMqttDeviceAdapter({
    store: config.store.id,
    topicPrefix: config.topicPrefix,
    devices: config.devices,
    source: countingSource(bus, metrics),
    output: adapterOutput(engine.onReading, metrics, log),
    maxPayloadBytes: config.broker.maxPayloadBytes,
    clock,
  })
  await adapter.start()
  const ticker = setInterval(engine.tick, TICK_MS)
  ticker.unref()

  const startedAt = clock.now()
  const health = (): HealthReport => {
    const brokerUp = bus.isConnected()
    return {
      status: brokerUp ? 'ok' : 'degraded',
      store: config.store.id,
      uptimeSec: Math.round((clock.now() - startedAt) / 1000),
      broker: brokerUp ? 'up' : 'down',
      // unauthenticated: silent alarms (robbery, SPEC §5) must not show here
      openAlarms: alarms.list().filter((a) => !a.silent).length,
    }
  }
  const api = createApiServer({ users: config.api.users, alarms, devices: devices.directory, health, metrics, log })
  const bound = await listen(api, config.api.host, config.api.port)

  const simulator = startDemoSimulator(config, broker, log)
  log.info({ api: bound.url, mqttPort: broker?.port ?? null, store: config.store.id }, 'gateway started')

  let stopped = false
  return {
    config,
    apiUrl: bound.url,
    mqttPort: broker?.port ?? null,
    log,
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(ticker)
      await simulator?.stop()
      await api.close()
      await adapter.stop()
      bus.publish(statusTopic, 'offline', { retain: true, qos: 1 })
      await bus.close()
      await broker?.close()
      db.close()
      log.info('gateway stopped')
    },
  }
}

async function startBus(
  config: LoadedConfig,
  log: Logger,
  metrics: GatewayMetrics,
  statusTopic: string,
): Promise<{ bus: MqttBus; broker: EmbeddedBroker | null }> {
  const busLog = log.child({ mod: 'bus' })
  const onError = (err: Error) => busLog.warn({ err: err.message }, 'mqtt publish failed')
  if (config.broker.mode === 'external' && config.broker.url !== undefined) {
    const bus = createClientBus({
      url: config.broker.url,
      clientId: `storeguard-${config.store.id}`,
      statusTopic,
      onError,
      ...(config.broker.username !== undefined ? { username: config.broker.username } : {}),
      ...(config.broker.password !== undefined ? { password: config.broker.password } : {}),
    })
    return { bus, broker: null }
  }
  const acl = createBrokerAcl({ topicPrefix: config.topicPrefix, broker: config.broker, devices: config.devices })
  const broker = await createEmbeddedBroker({ config: config.broker, acl, log, metrics })
  const bus = createEmbeddedBus(broker.aedes, onError)
  // The embedded broker dies with the gateway, so no will can announce it;
  // `offline` is published on a clean stop, and `online` again at every start.
  bus.publish(statusTopic, 'online', { retain: true, qos: 1 })
  return { bus, broker }
}

function countingSource(source: MqttMessageSource, metrics: GatewayMetrics): MqttMessageSource {
  const counter = metrics.mqttMessagesIn.labels('device')
  return {
    subscribe: (filters, handler) =>
      source.subscribe(filters, (topic, payload) => {
        counter.inc()
        handler(topic, payload)
      }),
    unsubscribe: (filters) => source.unsubscribe(filters),
  }
}

/** SPEC §9 bad input: counted per reason, logged at a bounded rate, never a crash. */
function adapterOutput(onReading: AdapterOutput['reading'], metrics: GatewayMetrics, log: Logger): AdapterOutput {
  const warn = createRateLimitedLog(log.child({ mod: 'devices' }))
  return {
    reading(reading) {
      metrics.readings.inc({ type: reading.deviceType })
      onReading(reading)
    },
    rejected(reason, detail) {
      metrics.rejected.inc({ reason })
      // keyed by reason alone, so a flood of made-up topics cannot grow the limiter
      warn(reason, { reason, ...detail }, 'device message rejected')
    },
  }
}

function startDemoSimulator(config: LoadedConfig, broker: EmbeddedBroker | null, log: Logger) {
  const sim = config.demo?.simulator
  if (!sim?.enabled || broker === null) return null
  const simulator = createSimulator({
    url: `mqtt://${connectHost(config.broker.host)}:${broker.port}`,
    username: sim.username,
    password: sim.password,
    topicPrefix: config.topicPrefix,
    devices: config.devices,
    intervalSec: sim.intervalSec,
    log,
  })
  simulator.start()
  return simulator
}
