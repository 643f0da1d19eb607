import type { AdapterOutput, DeviceAdapter, MqttMessageSource } from '../devices/adapter.js'
import type { SimulatedHardware } from '../devices/sim/simulatedHardware.js'
import type { LoadedConfig } from './config/loadConfig.js'
import type { Clock } from './core/clock.js'
import type { Logger } from './log.js'
import type { OutputWriter } from './outputRouter.js'

/**
 * The wired field buses: Modbus (RTU and TCP) and GPIO (docs/requirements.md#devices), and, for
 * the demo, the simulated hardware they read. Simulated hardware starts here,
 * so the adapters find it at their first poll.
 */
export async function createFieldAdapters(options: {
  readonly config: LoadedConfig
  readonly clock: Clock
  readonly log: Logger
  readonly output: AdapterOutput
  readonly source: MqttMessageSource
}): Promise<{ writers: OutputWriter[]; start(): Promise<void>; stop(): Promise<void> }> {
  const { config, clock, log, output } = options
  // each bus's modules (modbus-serial, serialport, onoff) load only when the config has such devices:
  // a store without them does not pay their memory
  const simulated: SimulatedHardware | null = config.demo?.simulator.enabled
    ? await (await import('../devices/sim/simulatedHardware.js')).startSimulatedHardware({
        topicPrefix: config.topicPrefix,
        buses: config.modbus.buses,
        devices: config.devices,
        stateDir: config.storage.dataDir,
        simulateGpio: config.gpio.driver === 'simulated',
        source: options.source,
        log,
      })
    : null
  const gpioDriver = simulated?.gpioDriver ?? undefined
  // the demo's simulated RS-485 lines are known only once their pty pairs are up; one that could not be made
  // (no socat) is left out with its devices, so it is neither polled nor faulted
  const buses = simulated?.modbusBuses ?? config.modbus.buses
  const modbusDevices = config.devices.filter(
    (d) => d.modbus !== undefined && buses.some((b) => b.id === d.modbus?.bus),
  )
  const adapters: (DeviceAdapter & OutputWriter)[] = []
  if (modbusDevices.length > 0) {
    const { createModbusAdapter } = await import('../devices/modbus/modbusAdapter.js')
    adapters.push(
      withOwnership(
        createModbusAdapter({
          store: config.store.id,
          buses,
          devices: modbusDevices,
          output,
          clock,
          log,
        }),
      ),
    )
  }
  if (config.devices.some((d) => d.gpio)) {
    const { createGpioAdapter } = await import('../devices/gpio/gpioAdapter.js')
    const gpio = createGpioAdapter({
      store: config.store.id,
      config: config.gpio,
      devices: config.devices,
      output,
      clock,
      log,
      ...(gpioDriver ? { driver: gpioDriver } : {}),
    })
    adapters.push(withOwnership(gpio))
  }
  return {
    writers: adapters,
    /** Starts reading; register `writers` first, so an alarm from the first reading can sound its siren. */
    async start() {
      for (const adapter of adapters) await adapter.start()
    },
    async stop() {
      for (const adapter of adapters) await adapter.stop()
      await simulated?.stop()
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
