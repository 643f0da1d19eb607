import type { Socket } from 'node:net'
import { createServer, type Server } from 'node:tls'
import type { ListenerTls } from '../config/listenerTls.js'

export interface MqttsServerOptions {
  readonly tls: ListenerTls
  /** A connection whose handshake succeeded: from here on it is MQTT like a plain one. */
  readonly accept: (socket: Socket) => void
  /** Every raw connection, before its handshake, so closing the broker can drop it too. */
  readonly track: (socket: Socket) => void
  /** A handshake that failed: no certificate, one from another CA, a client that distrusts ours. */
  readonly handshakeFailed: (err: Error, socket: Socket) => void
}

/**
 * The broker's mqtts listener. With a CA, client certificates are required
 * and checked by node:tls itself (requestCert + rejectUnauthorized), so a
 * client without one never reaches aedes.
 */
export function createMqttsServer(o: MqttsServerOptions): Server {
  const clientCertificates = o.tls.ca ? { ca: o.tls.ca, requestCert: true, rejectUnauthorized: true } : {}
  const server = createServer({ cert: o.tls.cert, key: o.tls.key, ...clientCertificates }, o.accept)
  server.on('connection', o.track)
  server.on('tlsClientError', o.handshakeFailed)
  return server
}
