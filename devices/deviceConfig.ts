import type { DeviceType } from '../gateway/core/reading.js'
import type { GpioDeviceConfig } from './gpio/gpioSchema.js'
import type { ModbusDeviceConfig } from './modbus/modbusSchema.js'

/** Payload formats an MQTT device may publish in. */
export type PayloadFormat = 'json' | 'bare' | 'zigbee2mqtt'

/**
 * One configured device as the adapters read it. gateway/config/schema.ts owns the schema of the
 * whole entry; gateway/config/deviceConfigMatch.ts fails the type check if the two drift apart, so
 * devices/ never imports gateway/config (docs/design.md#one-way-imports).
 */
export interface DeviceConfig {
  id: string
  type: DeviceType
  zone: string
  name?: string
  heartbeatSec?: number
  lowBatteryPct?: number
  lowBatteryMv?: number
  mqtt: {
    topic?: string
    format?: PayloadFormat
    username?: string
    passwordHash?: string
  }
  modbus?: ModbusDeviceConfig
  gpio?: GpioDeviceConfig
}
