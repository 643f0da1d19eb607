import type { ModbusBusConfig, ModbusDeviceConfig, RegisterConfig } from '../../devices/modbus/modbusSchema.js'
import type { DeviceConfig } from '../../gateway/config/schema.js'
import type { DeviceType } from '../../gateway/core/reading.js'

/** A register with the schema's defaults filled in, as the config loader would give it. */
export function register(
  metric: string,
  fn: RegisterConfig['function'],
  address: number,
  overrides: Partial<RegisterConfig> = {},
): RegisterConfig {
  return {
    metric,
    function: fn,
    address,
    type: 'uint16',
    wordOrder: 'big',
    byteOrder: 'big',
    scale: 1,
    offset: 0,
    writable: false,
    ...overrides,
  }
}

/** A Modbus device with short poll and fault settings suited to tests. */
export function modbusDevice(
  id: string,
  type: DeviceType,
  modbus: Partial<ModbusDeviceConfig> & Pick<ModbusDeviceConfig, 'bus'>,
): DeviceConfig {
  return {
    id,
    type,
    zone: 'test',
    mqtt: {},
    modbus: { unitId: 1, pollSec: 0.1, faultAfterFailures: 2, registers: [], ...modbus },
  }
}

export function tcpBus(id: string, port: number, overrides: Partial<ModbusBusConfig> = {}): ModbusBusConfig {
  return {
    id,
    type: 'tcp',
    host: '127.0.0.1',
    port,
    timeoutMs: 200,
    interRequestDelayMs: 0,
    ...overrides,
  } as ModbusBusConfig
}

export function rtuBus(id: string, port: string, overrides: Partial<ModbusBusConfig> = {}): ModbusBusConfig {
  return {
    id,
    type: 'rtu',
    port,
    baudRate: 9600,
    parity: 'none',
    dataBits: 8,
    stopBits: 1,
    timeoutMs: 200,
    interRequestDelayMs: 0,
    ...overrides,
  } as ModbusBusConfig
}
