import { StoreGuardError } from '../core/errors.js'
import { readPemCertificate, readPemPrivateKey } from './pemFile.js'
import type { ApiTlsConfig, BrokerTlsConfig } from './tlsSchema.js'

/**
 * What node:tls needs to serve one listener, read from the files a
 * `broker.tls` or `api.tls` section names. Buffers only: the material
 * stays out of the config object the logger sees.
 */
export interface ListenerTls {
  readonly cert: Buffer
  readonly key: Buffer
  /** Clients must present a certificate this CA signed (requestCert + rejectUnauthorized). */
  readonly ca?: Buffer
}

/**
 * Reads and checks a listener's PEM files: each readable and of the right
 * kind, and the key the one of the certificate, so a mistake stops the start
 * naming the setting (`broker.tls.key: … does not match …`) instead of
 * surfacing as a handshake failure on a device in the store.
 */
export function loadListenerTls(tls: ApiTlsConfig | BrokerTlsConfig, setting: string): ListenerTls {
  const cert = readPemCertificate(tls.cert, `${setting}.cert`)
  const key = readPemPrivateKey(tls.key, `${setting}.key`)
  if (!cert.first.checkPrivateKey(key.key)) {
    throw new StoreGuardError(
      'config_invalid',
      `${setting}.key: ${tls.key} does not match the certificate in ${setting}.cert (${tls.cert})`,
    )
  }
  const ca = tls.ca === undefined ? undefined : readPemCertificate(tls.ca, `${setting}.ca`).pem
  return { cert: cert.pem, key: key.pem, ...(ca ? { ca } : {}) }
}

/** The TLS material of both listeners a config asks for; null where a listener is plain. */
export function loadGatewayTls(config: {
  readonly broker: { readonly mode: string; readonly tls?: BrokerTlsConfig }
  readonly api: { readonly tls?: ApiTlsConfig }
}): { broker: ListenerTls | null; api: ListenerTls | null } {
  return {
    broker:
      config.broker.mode === 'embedded' && config.broker.tls ? loadListenerTls(config.broker.tls, 'broker.tls') : null,
    api: config.api.tls ? loadListenerTls(config.api.tls, 'api.tls') : null,
  }
}
