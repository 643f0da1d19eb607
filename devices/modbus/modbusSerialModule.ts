import { createRequire } from 'node:module'
import type ModbusSerial from 'modbus-serial'
import type { IServiceVector, ServerTCP } from 'modbus-serial'

/**
 * The one place that loads modbus-serial (docs/design.md#known-traps: its CommonJS
 * export needs `createRequire` under NodeNext; an ESM default import gives
 * the module object, whose `.default` is the client class).
 */

/** modbus-serial's client class (ModbusRTU, used for RTU and TCP alike). */
export type ModbusSerialClientClass = (typeof ModbusSerial)['default']
/** A modbus-serial client instance. */
export type ModbusSerialClient = InstanceType<ModbusSerialClientClass>
export type { IServiceVector, ServerTCP }

const require = createRequire(import.meta.url)
const loaded = require('modbus-serial') as { default: ModbusSerialClientClass; ServerTCP: typeof ServerTCP }

export const ModbusSerialClient: ModbusSerialClientClass = loaded.default
export const ModbusServerTcp: typeof ServerTCP = loaded.ServerTCP
