import { Type as T } from '@sinclair/typebox'
import { enumOf, secretHash } from '../core/schemaHelpers.js'
import { BrokerTlsSchema } from './tlsSchema.js'

/** The `broker` section: the embedded (or external) MQTT broker, its limits and its client logins. */

/** An MQTT topic a client may publish to or subscribe to; + and # wildcards allowed. */
const topicFilter = T.String({ minLength: 1, maxLength: 256, pattern: '^[^\\u0000]+$' })

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
