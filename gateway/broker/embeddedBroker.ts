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
import { type GuardTimers, guardConnection } from './connectionGuard.js'
import { ConnectionLimits } from './connectionLimits.js'
import { createMqttsServer } from './mqttsServer.js'

/**
 * Room for a PUBLISH's topic, message id and a SUBSCRIBE's filters on top of
 * `broker.maxPayloadBytes` in the framing check; a payload over the limit but
 * within this room is still read, then refused and counted as `oversized`.
 */
const HEADER_ALLOWANCE_BYTES = 8192

/**
 * The MQTT broker the gateway embeds by default (docs/requirements.md#mqtt-devices), so sensors and
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
  /** Timers for the CONNECT deadline; injectable for tests. Default the global ones. */
  readonly timers?: GuardTimers
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
    maxInflight: config.maxInflight,
    retainedPerClient: config.retainedPerClient,
    log,
    metrics: opts.metrics,
    now: opts.now ?? Date.now,
    ...(opts.clientPublish ? { clientPublish: opts.clientPublish } : {}),
  })
  const { clientReady, clientDisconnect, connectionRefused, clientErrored, ...handlers } = hooks
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
  const connectTimeoutMs = config.connectTimeoutSec * 1000
  const aedes = await Aedes.createBroker({
    ...handlers,
    authenticate,
    // QoS 2 messages awaiting PUBREL; its cut is counted through clientErrored
    maxInflightInbound: config.maxInflight,
    // the guard's deadline covers the whole login; aedes' own (CONNECT arrived) must not cut first, uncounted
    connectTimeout: connectTimeoutMs + 1000,
  })
  aedes.on('clientReady', (client) => {
    clientReady(client)
    log.debug({ clientId: client.id }, 'mqtt client connected')
  })
  aedes.on('clientDisconnect', clientDisconnect)
  // refusals are already counted and logged by the hooks; these are protocol noise
  aedes.on('clientError', (client, err) => {
    if (!clientErrored(client, err)) log.debug({ clientId: client.id, err: err.message }, 'mqtt client error')
  })
  aedes.on('connectionError', (client, err) =>
    log.debug({ clientId: client.id, err: err.message }, 'mqtt connection error'),
  )

  const sockets = new Set<Socket>()
  const limits = new ConnectionLimits(config)
  /**
   * Every TCP connection, plain or TLS, is counted against the caps as it is
   * accepted (a TLS one before its handshake, which costs us more than it costs
   * the client) and tracked so closing the broker drops it. False: refused.
   */
  const admitConnection = (socket: Socket): boolean => {
    const ip = socket.remoteAddress ?? ''
    const overLimit = limits.admit(ip)
    if (overLimit !== null) {
      connectionRefused(overLimit, ip)
      socket.destroy()
      return false
    }
    sockets.add(socket)
    socket.once('close', () => {
      sockets.delete(socket)
      limits.release(ip)
    })
    return true
  }
  /** Every MQTT connection enters here, plain once admitted, TLS once its handshake is done. */
  const acceptConnection = (socket: Socket) => {
    // Nagle behind delayed ACKs adds ~20 ms to an alarm, the whole p99 budget of an alarm on its way
    socket.setNoDelay(true)
    const ip = socket.remoteAddress ?? ''
    const guarded = guardConnection(socket, {
      maxConnectBytes: config.maxConnectBytes,
      maxPacketBytes: config.maxPayloadBytes + HEADER_ALLOWANCE_BYTES,
      connectTimeoutMs,
      ...(opts.timers ? { timers: opts.timers } : {}),
      onRefused: (reason) => connectionRefused(reason, ip),
    })
    aedes.handle(guarded)
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
  const plainServer = createServer((socket) => {
    if (admitConnection(socket)) acceptConnection(socket)
  })
  const port = config.plain ? await start(plainServer, config.host, config.port, 'mqtt') : null
  const tlsPort = tls
    ? await start(
        createMqttsServer({
          tls: tls.files,
          accept: acceptConnection,
          admit: admitConnection,
          // a handshake gets no longer than a login: a client that stalls it holds a connection slot
          handshakeTimeoutMs: connectTimeoutMs,
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
