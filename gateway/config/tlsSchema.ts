import { type Static, Type as T } from '@sinclair/typebox'

/**
 * TLS on the gateway's own listeners: the embedded broker (mqtts) and the
 * HTTP API (https). Files are PEM, relative to the config file; they are read
 * and checked once at start, so a wrong path stops the start instead of
 * failing every handshake later.
 */
const pemPath = (description: string) => T.String({ minLength: 1, description })

const listenerTlsFields = {
  cert: pemPath('PEM server certificate (with its intermediates after it)'),
  key: pemPath('PEM private key of the certificate, unencrypted'),
  ca: T.Optional(
    pemPath(
      'PEM CA for client certificates: when set, every client must present a certificate it signed, ' +
        'or the TLS handshake fails',
    ),
  ),
}

export const ApiTlsSchema = T.Object(listenerTlsFields, {
  additionalProperties: false,
  description: 'serve the API and the staff console over https instead of http, on api.host:api.port',
})

export const BrokerTlsSchema = T.Object(
  {
    host: T.Optional(T.String({ minLength: 1, description: 'address of the mqtts listener; default broker.host' })),
    port: T.Integer({ minimum: 0, maximum: 65535, default: 8883, description: 'mqtts port; 0 picks a free one' }),
    ...listenerTlsFields,
    ca: T.Optional(
      pemPath(
        'PEM CA for client certificates: when set, every client must present a certificate it signed, ' +
          'and the certificate’s CN must equal the MQTT username it logs in with (the password is still checked)',
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'embedded mode: an mqtts listener next to (or instead of) the plain one',
  },
)

export type ApiTlsConfig = Static<typeof ApiTlsSchema>
export type BrokerTlsConfig = Static<typeof BrokerTlsSchema>
