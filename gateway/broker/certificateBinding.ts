import { TLSSocket } from 'node:tls'
import type { AedesOptions, AuthErrorCode, Client } from 'aedes'
import { StoreGuardError } from '../core/errors.js'
import { socketBehind } from './connectionGuard.js'

type Authenticate = NonNullable<AedesOptions['authenticate']>

/** CONNACK 5 "not authorized", as for every other refusal: the client learns nothing of which check failed. */
const NOT_AUTHORIZED = 5 as AuthErrorCode

/** The CN of the certificate a TLS client presented, or null (no TLS, no certificate, several CNs). */
export function certificateName(client: Client): string | null {
  const socket = socketBehind(client.conn)
  if (!(socket instanceof TLSSocket)) return null
  const cn: unknown = socket.getPeerCertificate().subject?.CN
  return typeof cn === 'string' ? cn : null
}

/**
 * With `broker.tls.ca`, a certificate proves which device is at the other
 * end; the MQTT username says which ACL it gets. Binding the two (CN =
 * username) stops a device with a valid certificate from logging in as
 * another one whose password leaked. Only TLS connections are bound: the
 * plain listener, when kept, has no certificates to compare. The password is
 * checked afterwards by the usual hook.
 */
export function bindCertificateName(
  authenticate: Authenticate,
  refused: (client: Client, username: string | undefined) => void,
): Authenticate {
  return (client, username, password, done) => {
    if (socketBehind(client.conn) instanceof TLSSocket && certificateName(client) !== (username ?? null)) {
      refused(client, username)
      const err = Object.assign(new StoreGuardError('unauthorized', 'connection refused: certificate_name'), {
        returnCode: NOT_AUTHORIZED,
      })
      return done(err, false)
    }
    authenticate(client, username, password, done)
  }
}
