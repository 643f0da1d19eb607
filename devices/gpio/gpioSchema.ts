import { type Static, Type as T } from '@sinclair/typebox'
import { enumOf } from '../../gateway/core/schemaHelpers.js'

/**
 * GPIO config (docs/requirements.md#gpio): pins as BCM numbers, inputs with debounce,
 * active-low and normally-open / normally-closed wiring, outputs with
 * steady or pulsed patterns.
 */
export const GpioDeviceSchema = T.Object(
  {
    line: T.Integer({ minimum: 0, maximum: 53, description: 'BCM GPIO number (GPIO17 = 17), not the header pin' }),
    direction: enumOf(['in', 'out'] as const, { default: 'in' }),
    metric: T.Optional(
      T.String({ description: 'default per device type: pressed, water_leak, on_battery, contact, on' }),
    ),
    activeLow: T.Boolean({ default: true, description: 'the contact pulls the line to ground when active' }),
    wiring: enumOf(['no', 'nc'] as const, {
      default: 'no',
      description: 'normally closed: an open loop (cut wire) is an alarm condition, not quiet',
    }),
    debounceMs: T.Integer({
      minimum: 0,
      default: 20,
      description:
        'a level must hold this long to count; 50 ms is allowed from edge to siren (docs/requirements.md#latency)',
    }),
    bias: enumOf(['pull-up', 'pull-down', 'disable', 'as-is'] as const, {
      default: 'as-is',
      description: 'gpiod driver only; with sysfs set pulls in config.txt (gpio=17=ip,pu)',
    }),
    pulseOnMs: T.Optional(T.Integer({ minimum: 1, description: 'outputs: pulse pattern on-time; steady when absent' })),
    pulseOffMs: T.Optional(T.Integer({ minimum: 1, description: 'outputs: pulse pattern off-time' })),
  },
  { additionalProperties: false },
)

export const GpioSchema = T.Object(
  {
    driver: enumOf(['auto', 'sysfs', 'gpiod', 'simulated'] as const, {
      default: 'auto',
      description: 'auto: sysfs (onoff) where /sys/class/gpio works, else libgpiod tools',
    }),
    gpioBase: T.Optional(
      T.Integer({ minimum: 0, description: 'sysfs number of BCM 0; detected from gpiochip*/base when absent' }),
    ),
    chip: T.String({
      default: 'gpiochip0',
      description: 'gpiod: the header chip (gpiochip0 on a Pi 4 and Pi 5 with recent kernels)',
    }),
    sysfsRoot: T.String({ default: '/sys/class/gpio', description: 'for tests: a fake sysfs tree' }),
  },
  { additionalProperties: false, default: {} },
)

export type GpioConfig = Static<typeof GpioSchema>
export type GpioDeviceConfig = Static<typeof GpioDeviceSchema>
