import { type Static, Type as T } from '@sinclair/typebox'
import { DEVICE_TYPES } from '../gateway/core/reading.js'
import { enumOf, id, lowBatteryMv, lowBatteryPct, secretHash } from '../gateway/core/schemaHelpers.js'
import { GpioDeviceSchema } from './gpio/gpioSchema.js'
import { ModbusDeviceSchema } from './modbus/modbusSchema.js'

/**
 * One entry of `devices`: a sensor or actuator, how it reaches the gateway and how it logs in. The
 * adapters read it, so it lives here and gateway/config/schema.ts takes it into the config file
 * (docs/design.md#one-way-imports: devices/ never imports gateway/config).
 */

/** Payload formats an MQTT device may publish in. */
export const PayloadFormatSchema = enumOf(['json', 'bare', 'zigbee2mqtt'] as const)

export const DeviceSchema = T.Object(
  {
    id: id('device id, unique in the store'),
    type: enumOf(DEVICE_TYPES),
    zone: id('zone'),
    name: T.Optional(T.String()),
    heartbeatSec: T.Optional(T.Number({ exclusiveMinimum: 0, description: 'expected report interval' })),
    lowBatteryPct: T.Optional(lowBatteryPct('battery charge below this (%) is a fault; default: the store setting')),
    lowBatteryMv: T.Optional(
      lowBatteryMv('battery voltage below this (mV) is a fault; default: the store setting or the type default'),
    ),
    mqtt: T.Object(
      {
        topic: T.Optional(
          T.String({
            minLength: 1,
            pattern: '^[^+#]+$',
            description: 'extra topic the device publishes on, e.g. zigbee2mqtt/<name>',
          }),
        ),
        format: T.Optional(PayloadFormatSchema),
        username: T.Optional(T.String({ minLength: 1, description: 'default: the device id' })),
        passwordHash: T.Optional(secretHash),
      },
      { additionalProperties: false, default: {} },
    ),
    modbus: T.Optional(ModbusDeviceSchema),
    gpio: T.Optional(GpioDeviceSchema),
  },
  { additionalProperties: false },
)

export type DeviceConfig = Static<typeof DeviceSchema>
export type PayloadFormat = Static<typeof PayloadFormatSchema>
