import { Type as T } from '@sinclair/typebox'
import { GpioDeviceSchema } from '../../devices/gpio/gpioSchema.js'
import { ModbusDeviceSchema } from '../../devices/modbus/modbusSchema.js'
import { DEVICE_TYPES } from '../core/reading.js'
import { enumOf, id, lowBatteryMv, lowBatteryPct, secretHash } from '../core/schemaHelpers.js'

/** One entry of `devices`: a sensor or actuator, how it reaches the gateway and how it logs in. */

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
