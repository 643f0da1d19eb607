import type { Logger } from '../../gateway/core/logger.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { MqttMessageSource } from '../adapter.js'
import { decodeGenericJson } from '../decoders/genericJson.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { isGpioDevice } from '../gpio/gpioDevice.js'
import { alarmValue, gpioMetric } from '../gpio/inputLogic.js'
import type { MemoryGpioDriver } from '../gpio/memoryDriver.js'
import { createSimulatedGpioDriver, simulateInput } from '../gpio/simulatedGpio.js'
import type { ModbusBusConfig } from '../modbus/modbusSchema.js'
import { type ModbusDemo, startModbusDemoSimulators } from '../modbus/sim/demoSimulators.js'
import { linkSimulatedSerialLines } from '../modbus/sim/simulatedSerialLines.js'

/** `storeguard simulate` for a Modbus or GPIO device publishes its scenario here: `<prefix>/sim/<deviceId>`. */
export const simTopic = (topicPrefix: string, deviceId: string): string => `${topicPrefix}/sim/${deviceId}`

export interface SimulatedHardware {
  /** The in-memory GPIO lines, for the GPIO adapter (`gpio.driver: simulated`). */
  readonly gpioDriver: MemoryGpioDriver | null
  /**
   * The Modbus buses to poll: the config's, with each simulated RS-485 line
   * (`port: simulated`) set to the gateway's end of its pty pair, and left out
   * when it could not be made (no socat).
   */
  readonly modbusBuses: readonly ModbusBusConfig[]
  stop(): Promise<void>
}

/**
 * The demo store's Modbus and GPIO hardware, simulated (docs/requirements.md#simulation):
 * Modbus TCP servers on loopback and RTU slaves on socat pty pairs serving
 * each device's register map, and in-memory GPIO lines. A scenario for one of these devices arrives on
 * `<prefix>/sim/<deviceId>` and is played on the wire: a held register value,
 * a pressed button or an opened loop. The gateway reads them through its real
 * Modbus and GPIO adapters.
 */
export async function startSimulatedHardware(options: {
  readonly topicPrefix: string
  readonly buses: readonly ModbusBusConfig[]
  readonly devices: readonly DeviceConfig[]
  /** The demo's data directory, where simulated serial lines are linked. */
  readonly stateDir: string
  readonly simulateGpio: boolean
  readonly source: MqttMessageSource
  readonly log: Logger
}): Promise<SimulatedHardware> {
  const log = options.log.child({ mod: 'simulator' })
  const modbusDevices = options.devices.filter((d) => d.modbus !== undefined)
  const lines = await linkSimulatedSerialLines({ buses: options.buses, dir: options.stateDir, log: options.log })
  let modbus: ModbusDemo | null = null
  try {
    modbus =
      modbusDevices.length > 0
        ? await startModbusDemoSimulators({
            buses: lines.buses,
            devices: modbusDevices,
            rtuPeers: lines.peers,
            tickMs: 2000,
          })
        : null
  } catch (err) {
    await lines.stop()
    throw err
  }
  const gpioDriver = options.simulateGpio ? createSimulatedGpioDriver(options.devices) : null
  const byId = new Map(options.devices.map((d) => [d.id, d]))
  const filter = simTopic(options.topicPrefix, '+')

  function play(device: DeviceConfig, metrics: Readonly<Record<string, ReadingValue>>): void {
    if (device.modbus && modbus) {
      for (const [metric, value] of Object.entries(metrics)) {
        try {
          modbus.hold(device.id, metric, value)
        } catch {
          // a scenario may name metrics this register map does not serve (e.g. battery on a wired sensor)
        }
      }
    }
    if (isGpioDevice(device) && gpioDriver && device.gpio.direction === 'in') {
      const metric = gpioMetric(device.type, device.gpio)
      const value = metrics[metric]
      if (typeof value === 'boolean') simulateInput(gpioDriver, device, value === alarmValue(metric))
    }
  }

  await options.source.subscribe([filter], (topic, payload) => {
    const device = byId.get(topic.slice(topic.lastIndexOf('/') + 1))
    const decoded = decodeGenericJson(payload)
    if (!device || !decoded.ok) return
    log.info({ deviceId: device.id }, 'simulated hardware scenario')
    play(device, Object.fromEntries(decoded.metrics.map((m) => [m.metric, m.value])))
  })

  return {
    gpioDriver,
    modbusBuses: lines.buses,
    async stop() {
      await options.source.unsubscribe([filter])
      await modbus?.stop()
      await lines.stop()
    },
  }
}
