import { type Static, Type as T } from '@sinclair/typebox'

/** InfluxDB (docs/requirements.md#influxdb) (1.x HTTP API; 2.x / 3.x through their v1 compatibility endpoints). */
export const InfluxSchema = T.Object(
  {
    enabled: T.Boolean({ default: false }),
    url: T.String({ pattern: '^https?://', default: 'http://127.0.0.1:8086', description: 'InfluxDB base URL' }),
    database: T.String({ minLength: 1, default: 'storeguard' }),
    username: T.Optional(T.String()),
    password: T.Optional(
      T.String({ description: 'refer to an environment variable or a file, never the plain secret' }),
    ),
    ca: T.Optional(
      T.String({
        minLength: 1,
        description: "https: PEM file of the CA that signed InfluxDB's certificate, relative to the config file",
      }),
    ),
    rejectUnauthorized: T.Optional(
      T.Boolean({
        default: true,
        description: 'https: refuse a certificate the CA (or the system CAs) did not sign; off only for a test bench',
      }),
    ),
    batchSize: T.Integer({ minimum: 1, default: 5000, description: 'points per write' }),
    flushMs: T.Integer({ minimum: 10, default: 1000, description: 'write at least this often' }),
    timeoutMs: T.Integer({ minimum: 100, default: 5000 }),
    manageDatabase: T.Boolean({
      default: true,
      description: 'create the database, retention policies and continuous queries; off for 2.x / 3.x v1 endpoints',
    }),
    rawRetention: T.String({ default: '30d', pattern: '^\\d+[hdw]$|^INF$' }),
    downsampledRetention: T.String({ default: '730d', pattern: '^\\d+[hdw]$|^INF$' }),
    bufferMaxPoints: T.Integer({
      minimum: 100,
      default: 2_000_000,
      description: 'disk buffer bound while InfluxDB is unreachable',
    }),
    probeIntervalMs: T.Integer({
      minimum: 100,
      default: 5000,
      description: 'how often an unreachable InfluxDB is probed',
    }),
    deviceStatusIntervalSec: T.Number({ exclusiveMinimum: 0, default: 60 }),
    gatewayIntervalSec: T.Number({ exclusiveMinimum: 0, default: 10 }),
  },
  { additionalProperties: false, default: {} },
)

export type InfluxConfig = Static<typeof InfluxSchema>
