import { once } from 'node:events'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import type { ListenerTls } from '../config/listenerTls.js'
import type { BrokerConfig } from '../config/schema.js'
import { StoreGuardError } from '../core/errors.js'
import { createRateLimitedLog, type Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { BrokerAcl } from './brokerAcl.js'
import { type BrokerHooksOptions, createBrokerHooks } from './brokerHooks.js'
import { bindCertificateName } from './certificateBinding.js'
import { createMqttsServer } from './mqttsServer.js'

/**
 * The MQTT broker the gateway embeds by default (SPEC §4), so sensors and
 * zigbee2mqtt connect straight to it. MQTT 3.1.1 over plain TCP and/or TLS
 * (`broker.plain`, `broker.tls`); the gateway itself publishes in-process
 * through `aedes.publish()`, which bypasses the ACL.
 */
export interface EmbeddedBroker {
  readonly aedes: Aedes
  /** The bound plain TCP port, the actual one when the config asked for 0; null with `broker.plain: false`. */
  readonly port: number | null
  /** The bound mqtts port; null without `broker.tls`. */
  readonly tlsPort: number | null
  /** Stops listening, drops every connection (authenticated or not) and closes aedes. Idempotent. */
  close(): Promise<void>
}

export interface EmbeddedBrokerOptions {
  readonly config: BrokerConfig
  readonly acl: BrokerAcl
  readonly log: Logger
  readonly metrics: GatewayMetrics
  /** Epoch ms; injectable for tests of the backoff. Default `Date.now`. */
  readonly now?: () => number
  /** Authorized client publishes, handed on before they are acknowledged (see brokerHooks). */
  readonly clientPublish?: BrokerHooksOptions['clientPublish']
  /** Certificate and key of the mqtts listener, read from `broker.tls`; absent: no mqtts listener. */
  readonly tls?: ListenerTls | null
}

export async function createEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { config } = opts
  const log = opts.log.child({ mod: 'broker' })
  const hooks = createBrokerHooks({
    acl: opts.acl,
    allowAnonymous: config.allowAnonymous,
    maxPayloadBytes: config.maxPayloadBytes,
    forbiddenBackoffSec: config.forbiddenBackoffSec,
    log,
    metrics: opts.metrics,
    now: opts.now ?? Date.now,
    ...(opts.clientPublish ? { clientPublish: opts.clientPublish } : {}),
  })
  const { clientReady, clientDisconnect, ...handlers } = hooks
  const tls = config.tls && opts.tls ? { config: config.tls, files: opts.tls } : null
  // refusals made here rather than in the hooks, counted and logged the same way
  const refusedLog = createRateLimitedLog(log)
  const refused = (reason: string, data: Record<string, unknown>, key = '') => {
    opts.metrics.brokerRefused.inc({ reason })
    refusedLog(`${reason}:${key}`, { ...data, reason }, 'mqtt client refused')
  }
  const authenticate = tls?.files.ca
    ? bindCertificateName(handlers.authenticate, (client, username) =>
        refused('certificate_name', { clientId: client.id, username }, username),
      )
    : handlers.authenticate
  const aedes = await Aedes.createBroker({ ...handlers, authenticate })
  aedes.on('clientReady', (client) => {
    clientReady(client)
    log.debug({ clientId: client.id }, 'mqtt client connected')
  })
  aedes.on('clientDisconnect', clientDisconnect)
  // refusals are already counted and logged by the hooks; these are protocol noise
  aedes.on('clientError', (client, err) => log.debug({ clientId: client.id, err: err.message }, 'mqtt client error'))
  aedes.on('connectionError', (client, err) =>
    log.debug({ clientId: client.id, err: err.message }, 'mqtt connection error'),
  )

  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  }
  /** Every MQTT connection enters here, plain at once, TLS once its handshake is done. */
  const acceptConnection = (socket: Socket) => {
    // Nagle behind delayed ACKs adds ~20 ms to an alarm, the whole p99 budget of an alarm on its way
    socket.setNoDelay(true)
    track(socket)
    aedes.handle(socket)
  }

  const servers: Server[] = []
  const start = async (server: Server, host: string, port: number, scheme: 'mqtt' | 'mqtts') => {
    try {
      const bound = await listen(server, host, port)
      servers.push(server)
      log.info({ host, port: bound, scheme }, scheme === 'mqtt' ? 'mqtt broker listening' : 'mqtts broker listening')
      return bound
    } catch (err) {
      for (const s of servers) s.close()
      await closeAedes(aedes)
      throw new StoreGuardError('broker_unavailable', `cannot listen on ${host}:${port} (${scheme})`, { cause: err })
    }
  }
  const port = config.plain ? await start(createServer(acceptConnection), config.host, config.port, 'mqtt') : null
  const tlsPort = tls
    ? await start(
        createMqttsServer({
          tls: tls.files,
          accept: acceptConnection,
          track,
          // a client without a certificate, or with one from another CA: refused before any MQTT
          handshakeFailed: (err, socket) => refused('tls_handshake', { ip: socket.remoteAddress, err: err.message }),
        }),
        tls.config.host ?? config.host,
        tls.config.port,
        'mqtts',
      )
    : null

  let closing: Promise<void> | undefined
  return {
    aedes,
    port,
    tlsPort,
    close: () => {
      closing ??= (async () => {
        const serversClosed = Promise.all(
          servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
        )
        await closeAedes(aedes) // closes authenticated clients
        // connections still waiting for CONNECT, mid-authentication or mid-handshake are not aedes clients yet
        for (const socket of sockets) socket.destroy()
        await serversClosed
        log.info({ port, tlsPort }, 'mqtt broker closed')
      })()
      return closing
    },
  }
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  server.listen(port, host)
  await once(server, 'listening')
  return (server.address() as AddressInfo).port
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()))
}
