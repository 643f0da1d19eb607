import type { AdapterOutput, DeviceAdapter, MqttMessageSource } from '../../devices/adapter.js'
import type { GpioDriver } from '../../devices/gpio/gpioLine.js'
import type { ModbusBusConfig } from '../../devices/modbus/modbusSchema.js'
import type { LoadedConfig } from '../config/loadConfig.js'
import type { Clock } from '../core/clock.js'
import type { Logger } from '../log.js'

/** Everything a transport may need to build its adapter; each takes what it uses. */
export interface TransportDeps {
  readonly config: LoadedConfig
  readonly clock: Clock
  readonly log: Logger
  readonly output: AdapterOutput
  /** Device messages from the broker, for transports that read MQTT. */
  readonly messages: MqttMessageSource
  /**
   * The Modbus lines to poll: the configured ones, or in the demo the
   * simulated ones, known only once their pty pairs are up.
   */
  readonly modbusBuses: readonly ModbusBusConfig[]
  /** The demo's simulated GPIO lines; absent on real hardware, where the adapter picks a driver. */
  readonly gpioDriver?: GpioDriver
}

/**
 * One way devices reach the gateway. A transport that is not `configured`
 * is never created, so its modules (modbus-serial, serialport, onoff) are
 * never loaded: a store without such devices does not pay their memory.
 */
export interface Transport {
  /** For logs and the registry: `mqtt`, `modbus_tcp`, ... */
  readonly name: string
  configured(deps: TransportDeps): boolean
  /** Builds the adapter, not started; loads the transport's modules on first use. */
  create(deps: TransportDeps): Promise<DeviceAdapter>
}
