import { type Static, Type as T } from '@sinclair/typebox'
import { enumOf } from '../../gateway/core/schemaHelpers.js'

/**
 * Modbus config (docs/requirements.md#modbus): buses declared once, devices on them with a unit
 * id, a poll interval and a register map (inline, or a shipped profile from
 * devices/profiles/<name>.yaml).
 */

const busId = T.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'bus id (lower-case letters, digits, - and _)',
})

/**
 * The `port` of an RTU bus the demo simulator provides; beside the schema so the config check
 * names it without loading the simulator.
 */
export const SIMULATED_SERIAL_PORT = 'simulated'

export const RtuBusSchema = T.Object(
  {
    id: busId,
    type: T.Literal('rtu'),
    port: T.String({ minLength: 1, description: 'serial device, e.g. /dev/ttyUSB0 or /dev/ttyAMA0' }),
    baudRate: T.Integer({ default: 9600, enum: [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] }),
    parity: enumOf(['none', 'even', 'odd'] as const, { default: 'none' }),
    dataBits: T.Integer({ default: 8, enum: [7, 8] }),
    stopBits: T.Integer({ default: 1, enum: [1, 2] }),
    timeoutMs: T.Integer({
      default: 1000,
      minimum: 50,
      description: 'per request; modbus-serial has none by default',
    }),
    interRequestDelayMs: T.Integer({
      default: 20,
      minimum: 0,
      description: 'quiet time between requests on the line',
    }),
  },
  { additionalProperties: false },
)

export const TcpBusSchema = T.Object(
  {
    id: busId,
    type: T.Literal('tcp'),
    host: T.String({ minLength: 1 }),
    port: T.Integer({ default: 502, minimum: 1, maximum: 65535 }),
    timeoutMs: T.Integer({ default: 1000, minimum: 50 }),
    interRequestDelayMs: T.Integer({ default: 0, minimum: 0 }),
  },
  { additionalProperties: false },
)

/**
 * A bus is RTU or TCP, told apart by `type`. A discriminated `oneOf` (Ajv's
 * `discriminator`), not a plain union: Ajv then checks, fills defaults and
 * reports errors for the one branch the `type` names.
 */
export const ModbusBusSchema = T.Unsafe<Static<typeof RtuBusSchema> | Static<typeof TcpBusSchema>>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [RtuBusSchema, TcpBusSchema],
})

export const REGISTER_FUNCTIONS = ['coil', 'discrete', 'holding', 'input'] as const
export const REGISTER_TYPES = ['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32'] as const

export const RegisterSchema = T.Object(
  {
    metric: T.String({ minLength: 1 }),
    function: enumOf(REGISTER_FUNCTIONS),
    address: T.Integer({ minimum: 0, maximum: 65535, description: 'zero-based protocol address' }),
    type: enumOf(REGISTER_TYPES, { default: 'uint16' }),
    wordOrder: enumOf(['big', 'little'] as const, {
      default: 'big',
      description: '32-bit values: big = high word first (ABCD), little = low word first (CDAB)',
    }),
    byteOrder: enumOf(['big', 'little'] as const, { default: 'big', description: 'bytes within a register: big = AB' }),
    scale: T.Number({ default: 1 }),
    offset: T.Number({ default: 0, description: 'value = raw × scale + offset' }),
    unit: T.Optional(T.String()),
    writable: T.Boolean({ default: false, description: 'outputs (a coil or holding register) the rules may write' }),
  },
  { additionalProperties: false },
)

export const ModbusDeviceSchema = T.Object(
  {
    bus: busId,
    unitId: T.Integer({ minimum: 0, maximum: 247, default: 1 }),
    pollSec: T.Number({ exclusiveMinimum: 0, default: 5 }),
    faultAfterFailures: T.Integer({
      minimum: 1,
      default: 3,
      description: 'failed polls in a row before the device is in fault',
    }),
    profile: T.Optional(
      T.String({ pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'a register map from devices/profiles' }),
    ),
    registers: T.Array(RegisterSchema, { default: [] }),
  },
  { additionalProperties: false },
)

export const ModbusSchema = T.Object(
  { buses: T.Array(ModbusBusSchema, { default: [] }) },
  { additionalProperties: false, default: {} },
)

export type ModbusConfig = Static<typeof ModbusSchema>
export type ModbusBusConfig = Static<typeof ModbusBusSchema>
export type ModbusDeviceConfig = Static<typeof ModbusDeviceSchema>
export type RegisterConfig = Static<typeof RegisterSchema>
