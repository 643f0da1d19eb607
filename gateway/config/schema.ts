import { type Static, Type as T } from '@sinclair/typebox'
import { GpioDeviceSchema, GpioSchema } from '../../devices/gpio/gpioSchema.js'
import { ModbusDeviceSchema, ModbusSchema } from '../../devices/modbus/modbusSchema.js'
import { lowBatteryMv, lowBatteryPct, RulesSchema } from '../../rules/rulesSchema.js'
import { DEVICE_TYPES } from '../core/reading.js'
import { ROLES, type Role } from '../core/roles.js'
import { enumOf } from '../core/schemaHelpers.js'
import { AlarmManagementSchema } from './alarmManagementSchema.js'
import { BridgeSchema } from './bridgeSchema.js'
import { InfluxSchema } from './influxSchema.js'
import { NotificationsSchema } from './notificationsSchema.js'
import { OpeningHoursSchema, SpecialDaySchema, TicketsSchema } from './ticketSchema.js'
import { ApiTlsSchema, BrokerTlsSchema } from './tlsSchema.js'

/**
 * The one source of truth for the config file (docs/design.md#one-config-source): this schema gives
 * the TypeScript type, the published JSON Schema (deploy/storeguard.schema.json)
 * and the defaults, which Ajv fills in at load.
 */

const id = (description: string) =>
  T.String({
    pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
    description: `${description} (lower-case letters, digits, - and _)`,
  })

/** An MQTT topic a client may publish to or subscribe to; + and # wildcards allowed. */
const topicFilter = T.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000]+$' })

/** `scrypt$N$r$p$salt$hash` as printed by `storeguard hash-secret`. */
const secretHash = T.String({
  pattern: '^scrypt\\$\\d+\\$\\d+\\$\\d+\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$',
  description: 'scrypt hash from `storeguard hash-secret` (never the plain secret)',
})

export type { Role }

const BusinessDay = OpeningHoursSchema

export const StoreSchema = T.Object(
  {
    id: id('store id, also the InfluxDB `store` tag and part of the topic prefix'),
    name: T.String({ minLength: 1, default: 'StoreGuard store' }),
    timeZone: T.String({ minLength: 1, default: 'Asia/Shanghai', description: 'IANA time zone of the store' }),
    locale: enumOf(['zh-CN', 'en'] as const, { default: 'zh-CN' }),
    topicPrefix: T.Optional(T.String({ minLength: 1, description: 'default storeguard/<store id>' })),
    businessHours: T.Object(
      {
        mon: BusinessDay,
        tue: BusinessDay,
        wed: BusinessDay,
        thu: BusinessDay,
        fri: BusinessDay,
        sat: BusinessDay,
        sun: BusinessDay,
      },
      {
        additionalProperties: false,
        default: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '09:00', close: '21:00' }]]),
        ),
      },
    ),
    specialDays: T.Array(SpecialDaySchema, {
      default: [],
      description: 'closures (hours: []) and days with other hours, e.g. Spring Festival',
    }),
  },
  { additionalProperties: false },
)

export const BrokerClientSchema = T.Object(
  {
    username: T.String({ minLength: 1 }),
    passwordHash: secretHash,
    publish: T.Array(topicFilter, { default: [], description: 'topic filters this client may publish to' }),
    subscribe: T.Array(topicFilter, { default: [], description: 'topic filters this client may subscribe to' }),
  },
  { additionalProperties: false },
)

export const BrokerSchema = T.Object(
  {
    mode: enumOf(['embedded', 'external'] as const, { default: 'embedded' }),
    host: T.String({ default: '127.0.0.1', description: 'embedded: address to listen on' }),
    port: T.Integer({ minimum: 0, maximum: 65535, default: 1883, description: 'embedded: port; 0 picks a free one' }),
    plain: T.Boolean({
      default: true,
      description: 'embedded: keep the plain MQTT listener on host:port; false serves mqtts only (needs broker.tls)',
    }),
    tls: T.Optional(BrokerTlsSchema),
    url: T.Optional(T.String({ pattern: '^mqtts?://', description: 'external: broker URL' })),
    username: T.Optional(T.String()),
    password: T.Optional(
      T.String({
        description: 'external broker password; refer to an environment variable, e.g. $' + '{MQTT_PASSWORD}',
      }),
    ),
    allowAnonymous: T.Boolean({ default: false }),
    maxPayloadBytes: T.Integer({ minimum: 64, default: 65536 }),
    forbiddenBackoffSec: T.Number({
      minimum: 0,
      default: 30,
      description: 'refuse a client this long after a forbidden publish',
    }),
    maxConnectBytes: T.Integer({
      minimum: 64,
      default: 4096,
      description:
        'embedded: largest packet accepted before a client has logged in (CONNECT with its will); larger closes the socket while its header is read',
    }),
    connectTimeoutSec: T.Number({
      exclusiveMinimum: 0,
      default: 10,
      description: 'embedded: a connection not logged in this long after it was accepted is closed',
    }),
    maxConnections: T.Integer({
      minimum: 1,
      default: 500,
      description: 'embedded: open connections at most, logged in or not; more are closed at accept',
    }),
    maxConnectionsPerIp: T.Integer({
      minimum: 1,
      default: 50,
      description: 'embedded: open connections from one remote address at most; more are closed at accept',
    }),
    maxInflight: T.Integer({
      minimum: 1,
      default: 100,
      description:
        'embedded: QoS 1 messages of one client handled at once (more wait their turn, the client is never cut for it), and QoS 2 messages awaiting PUBREL (a client over it is disconnected)',
    }),
    retainedPerClient: T.Object(
      {
        maxMessages: T.Integer({ minimum: 0, default: 1000, description: 'retained topics one login may hold' }),
        maxBytes: T.Integer({ minimum: 0, default: 1048576, description: 'payload bytes one login may retain' }),
      },
      {
        additionalProperties: false,
        default: {},
        description:
          'embedded: retained-message quota per client login (anonymous clients share one); over it a message is delivered but not retained',
      },
    ),
    clients: T.Array(BrokerClientSchema, { default: [], description: 'bridges (zigbee2mqtt) and consumers' }),
  },
  { additionalProperties: false, default: {} },
)

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

export const ApiUserSchema = T.Object(
  {
    name: T.String({ minLength: 1 }),
    role: enumOf(ROLES),
    tokenHash: secretHash,
  },
  { additionalProperties: false },
)

export const ApiSchema = T.Object(
  {
    host: T.String({ default: '127.0.0.1' }),
    port: T.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    tls: T.Optional(ApiTlsSchema),
    users: T.Array(ApiUserSchema, { default: [] }),
  },
  { additionalProperties: false, default: {} },
)

export const DemoSchema = T.Object(
  {
    tokens: T.Record(T.String(), T.String(), {
      default: {},
      description: 'demo only: plain tokens per role, printed in the start banner',
    }),
    simulator: T.Object(
      {
        enabled: T.Boolean({ default: false }),
        username: T.String({ default: 'simulator' }),
        password: T.String({ default: '' }),
        intervalSec: T.Number({ exclusiveMinimum: 0, default: 10 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
)

export const ConfigSchema = T.Object(
  {
    $schema: T.Optional(T.String()),
    store: StoreSchema,
    broker: BrokerSchema,
    devices: T.Array(DeviceSchema, { default: [] }),
    modbus: ModbusSchema,
    gpio: GpioSchema,
    rules: RulesSchema,
    alarms: AlarmManagementSchema,
    tickets: TicketsSchema,
    notifications: NotificationsSchema,
    influx: InfluxSchema,
    bridge: T.Optional(BridgeSchema),
    api: ApiSchema,
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
    demo: T.Optional(DemoSchema),
  },
  { additionalProperties: false, title: 'StoreGuard config' },
)

export type Config = Static<typeof ConfigSchema>
export type DeviceConfig = Static<typeof DeviceSchema>
export type BrokerConfig = Static<typeof BrokerSchema>
export type BrokerClientConfig = Static<typeof BrokerClientSchema>
export type ApiUserConfig = Static<typeof ApiUserSchema>
export type PayloadFormat = Static<typeof PayloadFormatSchema>
export type { GpioConfig, GpioDeviceConfig } from '../../devices/gpio/gpioSchema.js'
export type {
  ModbusBusConfig,
  ModbusConfig,
  ModbusDeviceConfig,
  RegisterConfig,
} from '../../devices/modbus/modbusSchema.js'
export type { RuleSettings } from '../../rules/rulesSchema.js'
export type { AlarmManagement } from './alarmManagementSchema.js'
export type { BridgeConfig } from './bridgeSchema.js'
export type { InfluxConfig } from './influxSchema.js'
export type { NotificationChannelConfig, NotificationRoute, NotificationsConfig } from './notificationsSchema.js'
export type { OpeningInterval, SpecialDay, TicketsConfig } from './ticketSchema.js'
export type { ApiTlsConfig, BrokerTlsConfig } from './tlsSchema.js'
