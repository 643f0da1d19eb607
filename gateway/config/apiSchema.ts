import { Type as T } from '@sinclair/typebox'
import { ROLES } from '../core/roles.js'
import { enumOf, secretHash } from '../core/schemaHelpers.js'
import { ApiTlsSchema } from './tlsSchema.js'

/** The `api` section (HTTP listener and its users) and the demo-only `demo` section. */

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
    observer: T.Optional(
      T.Object(
        {
          username: T.String({ minLength: 1, default: 'observer' }),
          password: T.String({ minLength: 1 }),
        },
        {
          additionalProperties: false,
          description:
            'demo only: a read-only broker.clients login (publish: []) printed in the start banner, to watch the store on MQTT',
        },
      ),
    ),
  },
  { additionalProperties: false },
)
