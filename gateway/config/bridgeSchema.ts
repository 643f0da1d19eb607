import { type Static, Type as T } from '@sinclair/typebox'

/**
 * docs/requirements.md#upstream-bridge: the upstream bridge to a chain's central MQTT cluster.
 * Off unless a `bridge` section is present. Secrets (password, key passphrase)
 * refer to an environment variable or a file, like every other secret.
 */
export const BridgeSchema = T.Object(
  {
    enabled: T.Boolean({ default: true }),
    url: T.String({ pattern: '^mqtts?://', description: 'central broker URL (mqtts:// in production)' }),
    clientId: T.Optional(
      T.String({ minLength: 1, maxLength: 128, description: 'MQTT client id; default storeguard-<store id>' }),
    ),
    username: T.Optional(T.String({ minLength: 1, description: 'default: the store id' })),
    password: T.Optional(
      T.String({ description: 'refer to an environment variable or a file, never the plain secret' }),
    ),
    tls: T.Object(
      {
        ca: T.Optional(T.String({ minLength: 1, description: 'PEM file of the CA that signed the central broker' })),
        cert: T.Optional(T.String({ minLength: 1, description: 'PEM client certificate of this store' })),
        key: T.Optional(T.String({ minLength: 1, description: 'PEM private key of the client certificate' })),
        rejectUnauthorized: T.Boolean({ default: true }),
      },
      { additionalProperties: false, default: {}, description: 'file paths are relative to the config file' },
    ),
    keepaliveSec: T.Integer({ minimum: 5, maximum: 3600, default: 30 }),
    reconnect: T.Object(
      {
        baseMs: T.Integer({ minimum: 100, default: 1000, description: 'ceiling of the first retry delay' }),
        capMs: T.Integer({ minimum: 1000, default: 60_000, description: 'largest retry delay' }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxInFlight: T.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'unacknowledged messages at once' }),
    maxQueued: T.Integer({
      minimum: 100,
      default: 100_000,
      description: 'queue bound while the centre is unreachable; telemetry is dropped first',
    }),
    telemetry: T.Object(
      {
        enabled: T.Boolean({ default: false }),
        intervalSec: T.Number({ minimum: 1, default: 60, description: 'one summary per device per interval' }),
      },
      { additionalProperties: false, default: {} },
    ),
    commands: T.Object(
      {
        enabled: T.Boolean({
          default: true,
          description:
            'accept commands from the centre: acknowledge, shelve and estimate alarms, declare and clear network faults',
        }),
        role: T.Union([T.Literal('staff'), T.Literal('maintenance'), T.Literal('manager')], {
          default: 'staff',
          description:
            "what a central operator may do to this store's alarms, as an API role (a manager's also sees the silent alarm); network faults are the centre's own to declare and clear",
        }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
)

export type BridgeConfig = Static<typeof BridgeSchema>
