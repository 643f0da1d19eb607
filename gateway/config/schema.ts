import { type Static, Type as T } from '@sinclair/typebox'
import { DeviceSchema } from '../../devices/deviceSchema.js'
import { GpioSchema } from '../../devices/gpio/gpioSchema.js'
import { ModbusSchema } from '../../devices/modbus/modbusSchema.js'
import { RulesSchema } from '../../rules/registry.js'
import type { Role } from '../core/roles.js'
import { enumOf } from '../core/schemaHelpers.js'
import { AlarmManagementSchema } from './alarmManagementSchema.js'
import { ApiSchema, type ApiUserSchema, DemoSchema } from './apiSchema.js'
import { BridgeSchema } from './bridgeSchema.js'
import type { BrokerClientSchema } from './brokerSchema.js'
import { BrokerSchema } from './brokerSchema.js'
import { HomeAssistantSchema } from './homeAssistantSchema.js'
import { InfluxSchema } from './influxSchema.js'
import { NotificationsSchema } from './notificationsSchema.js'
import { OutputsSchema } from './outputsSchema.js'
import { SignageSchema } from './signageSchema.js'
import { StoreSchema } from './storeSchema.js'
import { TextsSchema } from './textsSchema.js'
import { TicketsSchema } from './ticketSchema.js'
import { ZonesSchema } from './zonesSchema.js'

/**
 * The one source of truth for the config file (docs/design.md#one-config-source): this schema gives
 * the TypeScript type, the published JSON Schema (deploy/storeguard.schema.json)
 * and the defaults, which Ajv fills in at load. The larger sections have a
 * module each; this one composes them.
 */

export { DeviceSchema, PayloadFormatSchema } from '../../devices/deviceSchema.js'
export { ApiSchema, ApiUserSchema, DemoSchema } from './apiSchema.js'
export { BrokerClientSchema, BrokerSchema } from './brokerSchema.js'
export { StoreSchema } from './storeSchema.js'
export type { Role }

export const ConfigSchema = T.Object(
  {
    $schema: T.Optional(T.String()),
    store: StoreSchema,
    zones: ZonesSchema,
    broker: BrokerSchema,
    devices: T.Array(DeviceSchema, { default: [] }),
    modbus: ModbusSchema,
    gpio: GpioSchema,
    rules: RulesSchema,
    outputs: OutputsSchema,
    alarms: AlarmManagementSchema,
    tickets: TicketsSchema,
    notifications: NotificationsSchema,
    texts: TextsSchema,
    influx: InfluxSchema,
    bridge: T.Optional(BridgeSchema),
    api: ApiSchema,
    signage: SignageSchema,
    homeassistant: HomeAssistantSchema,
    storage: T.Object(
      {
        dataDir: T.String({
          default: './data',
          description: 'SQLite journal and buffers; relative to the config file',
        }),
        journalMaxPendingWrites: T.Integer({
          minimum: 1,
          default: 10_000,
          description:
            'journal writes held in memory while the data disk is full or read-only; beyond it the oldest are dropped and counted',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: T.Object(
      {
        level: enumOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),
      },
      { additionalProperties: false, default: {} },
    ),
    shutdown: T.Object(
      {
        timeoutSec: T.Number({
          exclusiveMinimum: 0,
          default: 20,
          description:
            'after SIGTERM or SIGINT, exit with code 1 if stopping takes longer than this; ' +
            "below the systemd unit's TimeoutStopSec (30 s), so the gateway says why it stopped",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    memory: T.Object(
      {
        trim: T.Boolean({
          default: true,
          description:
            "give back what the start used and the gateway no longer needs: malloc's free pages and the node executable's pages only the start touched (docs/performance.md#memory-trim)",
        }),
        firstTrimSec: T.Integer({
          minimum: 1,
          default: 30,
          description: 'the first trim, this long after the gateway started (with a full garbage collection)',
        }),
        trimEveryMin: T.Integer({ minimum: 1, default: 10, description: 'then a trim this often' }),
      },
      { additionalProperties: false, default: {} },
    ),
    demo: T.Optional(DemoSchema),
  },
  { additionalProperties: false, title: 'StoreGuard config' },
)

export type Config = Static<typeof ConfigSchema>
export type BrokerConfig = Static<typeof BrokerSchema>
export type TextsConfig = Static<typeof TextsSchema>
export type BrokerClientConfig = Static<typeof BrokerClientSchema>
export type ApiUserConfig = Static<typeof ApiUserSchema>
export type { DeviceConfig, PayloadFormat } from '../../devices/deviceSchema.js'
export type { GpioConfig, GpioDeviceConfig } from '../../devices/gpio/gpioSchema.js'
export type {
  ModbusBusConfig,
  ModbusConfig,
  ModbusDeviceConfig,
  RegisterConfig,
} from '../../devices/modbus/modbusSchema.js'
export type { RuleSettings } from '../../rules/registry.js'
export type { AlarmManagement } from './alarmManagementSchema.js'
export type { BridgeConfig } from './bridgeSchema.js'
export type { HomeAssistantConfig } from './homeAssistantSchema.js'
export type { InfluxConfig } from './influxSchema.js'
export type { NotificationChannelConfig, NotificationRoute, NotificationsConfig } from './notificationsSchema.js'
export type { OutputsConfig } from './outputsSchema.js'
export type { SignageConfig } from './signageSchema.js'
export type { OpeningInterval, SpecialDay, TicketsConfig } from './ticketSchema.js'
export type { ApiTlsConfig, BrokerTlsConfig } from './tlsSchema.js'
export type { ZoneConfig } from './zonesSchema.js'
