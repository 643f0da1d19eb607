import { isDeepStrictEqual } from 'node:util'
import type { AdapterOutput, DeviceAdapter, MqttMessageSource } from '../../devices/adapter.js'
import type { SimulatedHardware } from '../../devices/sim/simulatedHardware.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { DeviceConfig } from '../config/schema.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../log.js'
import type { OutputWriter } from '../outputs/router.js'
import { TRANSPORTS } from '../transports/registry.js'
import type { Transport, TransportDeps } from '../transports/transport.js'

/**
 * Every transport the config uses (see transports/registry.ts), and, for the
 * demo, the simulated hardware they read. Simulated hardware starts here,
 * so the adapters find it at their first poll.
 */
export async function createFieldAdapters(options: {
  readonly config: LoadedConfig
  readonly clock: Clock
  readonly log: Logger
  readonly output: AdapterOutput
  /** The bus the demo's simulated hardware publishes on. */
  readonly source: MqttMessageSource
  /** Device messages for the MQTT transport (counted on their way). */
  readonly messages: MqttMessageSource
  readonly transports?: readonly Transport[]
}): Promise<{
  writers: OutputWriter[]
  start(): Promise<void>
  stop(): Promise<void>
  /** Resolves true when a Modbus device changed: its bus restarted, and outputs on it are to be written again. */
  reload(next: LoadedConfig): Promise<boolean>
}> {
  const { config, clock, log, output } = options
  const simulated: SimulatedHardware | null = config.demo?.simulator.enabled
    ? await (await import('../../devices/sim/simulatedHardware.js')).startSimulatedHardware({
        topicPrefix: config.topicPrefix,
        buses: config.modbus.buses,
        devices: config.devices,
        stateDir: config.storage.dataDir,
        simulateGpio: config.gpio.driver === 'simulated',
        source: options.source,
        log,
      })
    : null
  const deps: TransportDeps = {
    config,
    clock,
    log,
    output,
    messages: options.messages,
    // the demo's simulated RS-485 lines are known only once their pty pairs are up
    modbusBuses: simulated?.modbusBuses ?? config.modbus.buses,
    ...(simulated?.gpioDriver ? { gpioDriver: simulated.gpioDriver } : {}),
  }
  const adapters: (DeviceAdapter & OutputWriter)[] = []
  const created = new Set<Transport>()
  for (const transport of options.transports ?? TRANSPORTS) {
    if (!transport.configured(deps)) continue
    adapters.push(withOwnership(await transport.create(deps)))
    created.add(transport)
  }
  let devices = config.devices
  let running = false
  return {
    writers: adapters,
    /** Starts reading; register `writers` first, so an alarm from the first reading can sound its siren. */
    async start() {
      running = true
      for (const adapter of adapters) await adapter.start()
    },
    async stop() {
      running = false
      for (const adapter of [...adapters].reverse()) await adapter.stop()
      await simulated?.stop()
    },
    /**
     * A reload's device list to every adapter (each follows its own devices),
     * and a transport the start config did not use is built and started now
     * for the devices the reload brought. Its outputs are not routed: output
     * devices need a restart (docs/reload.md).
     */
    async reload(next) {
      for (const adapter of adapters) await adapter.reload?.(next.devices)
      const nextDeps: TransportDeps = { ...deps, config: next }
      for (const transport of options.transports ?? TRANSPORTS) {
        if (created.has(transport) || !transport.configured(nextDeps)) continue
        const adapter = withOwnership(await transport.create(nextDeps))
        created.add(transport)
        adapters.push(adapter)
        if (running) await adapter.start()
        log.info({ transport: transport.name }, 'transport started for reloaded devices')
      }
      const polled = (list: readonly DeviceConfig[]) => list.filter((d) => d.modbus !== undefined)
      const changed = !isDeepStrictEqual(polled(devices), polled(next.devices))
      devices = next.devices
      return changed
    },
  }
}

function withOwnership(adapter: DeviceAdapter): DeviceAdapter & OutputWriter {
  return {
    ...adapter,
    owns: (deviceId) => adapter.owns?.(deviceId) ?? false,
    write: (deviceId, metric, value) => adapter.write?.(deviceId, metric, value) ?? Promise.resolve(),
  }
}
