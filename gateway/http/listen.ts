import { Server as TlsServer } from 'node:tls'
import type { FastifyInstance } from 'fastify'

export interface BoundAddress {
  /** The address actually bound, e.g. `127.0.0.1` or `::1`. */
  readonly host: string
  /** The port actually bound; differs from the requested one when that was 0. */
  readonly port: number
  /** Base URL for clients, IPv6 hosts in brackets. */
  readonly url: string
}

/** Starts `app` on `host:port` (port 0: any free port, as tests use) and says where it ended up. */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<BoundAddress> {
  await app.listen({ host, port })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error(`expected a TCP address, got ${String(address)}`)
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  // an https server (api.tls) is a tls.Server underneath
  const scheme = app.server instanceof TlsServer ? 'https' : 'http'
  return { host: address.address, port: address.port, url: `${scheme}://${urlHost}:${address.port}` }
}
