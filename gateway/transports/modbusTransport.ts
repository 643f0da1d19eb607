import type { DeviceConfig } from '../config/schema.js'
import type { Transport, TransportDeps } from './transport.js'

type BusType = 'rtu' | 'tcp'

/**
 * Modbus devices on one kind of line: RTU (serial) or TCP. A device whose bus
 * is not among the lines to poll is left out: in the demo a simulated line
 * that could not be made (no socat) is neither polled nor faulted.
 */
export function modbusTransport(type: BusType): Transport {
  const buses = (deps: TransportDeps) => deps.modbusBuses.filter((b) => b.type === type)
  const devices = (deps: TransportDeps): DeviceConfig[] => {
    const lines = buses(deps)
    return deps.config.devices.filter((d) => d.modbus !== undefined && lines.some((b) => b.id === d.modbus?.bus))
  }
  return {
    name: `modbus_${type}`,
    configured: (deps) => devices(deps).length > 0,
    async create(deps) {
      const { createModbusAdapter } = await import('../../devices/modbus/modbusAdapter.js')
      return createModbusAdapter({
        store: deps.config.store.id,
        buses: buses(deps),
        devices: devices(deps),
        output: deps.output,
        clock: deps.clock,
        log: deps.log,
      })
    },
  }
}

export const modbusRtuTransport = modbusTransport('rtu')
export const modbusTcpTransport = modbusTransport('tcp')
