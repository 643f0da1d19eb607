import { createServer as createTcpServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'
import type { ListenerTls } from '../config/listenerTls.js'

export interface MqttsServerOptions {
  readonly tls: ListenerTls
  /** A connection whose handshake succeeded: from here on it is MQTT like a plain one. */
  readonly accept: (socket: Socket) => void
  /** Every raw connection, before its handshake: counted against the caps and tracked; false: refused. */
  readonly admit: (socket: Socket) => boolean
  /** How long a handshake may take before the connection is dropped, ms. */
  readonly handshakeTimeoutMs: number
  /** A handshake that failed or stalled: no certificate, one from another CA, a client that distrusts ours. */
  readonly handshakeFailed: (err: Error, socket: TLSSocket) => void
}

/**
 * The broker's mqtts listener. With a CA, client certificates are required
 * and checked by node:tls itself (requestCert + rejectUnauthorized), so a
 * client without one never reaches aedes.
 *
 * A plain TCP server listens and hands only admitted sockets to a TLS server
 * that never listens itself: a socket refused by the connection caps then
 * costs no handshake, and is not also reported as a failed one.
 */
export function createMqttsServer(o: MqttsServerOptions): Server {
  const clientCertificates = o.tls.ca ? { ca: o.tls.ca, requestCert: true, rejectUnauthorized: true } : {}
  const tlsServer = createTlsServer(
    { cert: o.tls.cert, key: o.tls.key, handshakeTimeout: o.handshakeTimeoutMs, ...clientCertificates },
    o.accept,
  )
  tlsServer.on('tlsClientError', (err, socket) => {
    o.handshakeFailed(err, socket)
    // node:tls reports a stalled handshake but leaves its socket open
    socket.destroy()
  })
  return createTcpServer((socket) => {
    if (o.admit(socket)) tlsServer.emit('connection', socket)
  })
}
