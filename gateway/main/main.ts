import type { LoadedConfig } from '../config/loadConfig.js'
import { watchEventLoopStalls } from '../eventLoopStalls.js'
import type { Logger } from '../log.js'
import { createMemoryTrim, loadMemoryTrimNative } from '../memory/memoryTrim.js'
import { createConfigReload, type ReloadOutcome } from './configReload.js'
import { createContext, type StartOptions } from './context.js'
import { startDemoSimulator } from './demoSimulator.js'
import { createLifecycle } from './lifecycle.js'
import { startApi } from './startApi.js'
import { startDomain } from './startDomain.js'
import { startEngine } from './startEngine.js'
import { startHomeAssistant } from './startHomeAssistant.js'
import { startInputs } from './startInputs.js'
import { startMqtt } from './startMqtt.js'
import { startServices } from './startServices.js'
import { startStorage } from './startStorage.js'

export type { StartOptions } from './context.js'

export interface RunningGateway {
  readonly config: LoadedConfig
  readonly apiUrl: string
  /** The embedded broker's plain port, or null when using an external broker or `broker.plain: false`. */
  readonly mqttPort: number | null
  /** The embedded broker's mqtts port, or null without `broker.tls`. */
  readonly mqttsPort: number | null
  readonly log: Logger
  /**
   * Re-reads the config file and applies what can change live (docs/reload.md);
   * never throws. Call one at a time (gateway/main/reloadQueue.ts).
   */
  reload(): Promise<ReloadOutcome>
  stop(): Promise<void>
}

/**
 * The composition root (docs/design.md#layout): the only place that knows every module.
 * Each step starts its parts in the lifecycle (docs/design.md#lifecycle): the
 * journal before the broker, so the first message can already be journaled;
 * open alarms republished before devices are read, and Home Assistant told of
 * them and of the devices before the first reading; sinks before field adapters;
 * device messages delivered once every handler is in; the API once all it
 * serves runs; the demo simulator last.
 *
 * The stop is the reverse: the ticker, the simulator, the API, the outputs'
 * pulse timers, the field adapters, the sinks, notifications and ticketing,
 * then the `offline` status on the bus (through the bridge's queue) before the
 * bus closes, the bridge, the broker, the journal last. So whatever brings in
 * readings or commands stops before what acts on them, and nothing acts on a
 * part already stopped. Ticks also run in start order, so the rule engine
 * ticks after the shelf, notice, ticket and notification timers: an alarm it
 * raises on a tick reaches them at once as an event, and their own time work
 * sees it one tick later at most, as it sees one raised by a reading between ticks.
 * A start that fails is not unwound here: the CLI exits at once, as after a
 * kill, which the journal is made for (docs/design.md#journal-before-publish).
 */
export async function startGateway(config: LoadedConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const ctx = createContext(config, options)
  const { log } = ctx
  const life = createLifecycle({ now: ctx.clock.now, log })
  await life.start(watchEventLoopStalls(ctx.metrics.registry))
  const journal = await startStorage(ctx, life)
  const mqtt = await startMqtt(ctx, journal.db, life)
  const domain = await startDomain(ctx, journal, mqtt, life)
  await startHomeAssistant(ctx, journal.db, mqtt, domain, life)
  const services = await startServices(ctx, journal.db, mqtt.bus, domain, life)
  const engine = await startEngine(ctx, domain, services, life)
  await startInputs(ctx, mqtt, domain, engine, life)
  life.startTicker()
  const reloader = createConfigReload({
    config,
    life,
    log,
    registry: ctx.metrics.registry,
    logSecrets: ctx.logSecrets,
    now: ctx.clock.now,
  })
  const apiUrl = await startApi(ctx, journal, mqtt, domain, services, life, engine, reloader.status)
  await startDemoSimulator(config, mqtt.broker, log, life)
  // last: the first trim gives back what all of the start used (docs/performance.md#memory-trim)
  if (config.memory.trim) {
    const { firstTrimSec, trimEveryMin } = config.memory
    const native = loadMemoryTrimNative()
    await life.start(
      createMemoryTrim({ native, log, firstAfterMs: firstTrimSec * 1000, everyMs: trimEveryMin * 60_000 }),
    )
  }
  const mqttPort = mqtt.broker?.port ?? null
  const mqttsPort = mqtt.broker?.tlsPort ?? null
  log.info(
    { api: apiUrl, mqttPort, ...(mqttsPort === null ? {} : { mqttsPort }), store: config.store.id },
    'gateway started',
  )

  let stopped = false
  return {
    config,
    apiUrl,
    mqttPort,
    mqttsPort,
    log,
    async reload() {
      // a reload asked for while stopping would hand a config to parts already stopped
      if (stopped) return { result: 'failed', applied: [], restartNeeded: [], failed: ['stopping'], problems: [] }
      return reloader.reload()
    },
    async stop() {
      if (stopped) return
      stopped = true
      await life.stop()
      log.info('gateway stopped')
    },
  }
}
