import type { Reading } from '../core/reading.js'
import type { RuleEngine } from '../engine/ruleEngine.js'
import { startSinks } from '../sinks/registry.js'
import type { GatewayContext } from './context.js'
import { createFieldAdapters } from './fieldAdapters.js'
import { adapterOutput, countingSource, createStringCleaner, subscribeWeather } from './inputs.js'
import type { Lifecycle } from './lifecycle.js'
import type { Domain, Mqtt } from './pieces.js'

/**
 * Everything that reads: the sinks first, so no reading misses InfluxDB; then
 * the field adapters, the weather feed, and last the delivery of the device
 * messages held since the broker opened.
 */
export async function startInputs(
  ctx: GatewayContext,
  mqtt: Mqtt,
  domain: Domain,
  engine: RuleEngine,
  life: Lifecycle,
): Promise<void> {
  const { config, clock, events, log, metrics } = ctx
  const { alarms, outputs } = domain
  const { bridge } = mqtt
  const source = countingSource(mqtt.bus, metrics)
  // docs/requirements.md#influxdb: readings reach the event bus (for InfluxDB) after the engine has acted on them
  const onReading = (reading: Reading) => {
    engine.onReading(reading)
    events.emit({ type: 'reading', reading })
  }
  const toEngine = adapterOutput({ onReading, onCommStatus: engine.onCommStatus }, metrics, log)
  const sinks = await startSinks({
    config,
    events,
    devices: domain.deviceDirectory,
    openAlarms: () => alarms.list().length,
    ...(bridge ? { central: () => bridge.status() } : {}),
    metrics,
    log,
    now: clock.now,
  })
  await life.start({ name: 'sinks', stop: () => sinks.stop() })
  const field = await createFieldAdapters({ config, clock, log, output: toEngine, source: mqtt.bus, messages: source })
  await life.start(
    {
      name: 'field adapters',
      async start() {
        // their outputs are routed before they read, so an alarm from the first reading can sound its siren
        outputs.start(field.writers, alarms.open())
        await field.start()
      },
      stop: () => field.stop(),
      async reload(next) {
        // a Modbus bus restarted for a reload may have dropped a write: every output is written again
        if (await field.reload(next)) outputs.arbiter.resync()
      },
    },
    // Started before the adapters, but stopped just before them: no pulse timer may
    // switch a siren on again after its adapter switched it off (devices/gpio/outputChannel.ts).
    { name: 'outputs', stop: () => outputs.stop() },
    {
      name: 'weather',
      start: () =>
        subscribeWeather(
          source,
          `${config.topicPrefix}/weather`,
          clock,
          engine.onWeather,
          toEngine.rejected,
          createStringCleaner(metrics, log),
        ),
    },
    {
      name: 'device message delivery',
      // every handler is in: device messages held so far go to the engine, then are acknowledged;
      // during an InfluxDB outage only once their readings are in the disk buffer
      start: () => mqtt.local.startDelivery(() => sinks.durable()),
    },
  )
}
