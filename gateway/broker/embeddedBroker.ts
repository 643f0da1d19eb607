import { once } from 'node:events'
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net'
import { Aedes } from 'aedes'
import type { BrokerConfig } from '../config/schema.js'
import { StoreGuardError } from '../core/errors.js'
import type { Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { BrokerAcl } from './brokerAcl.js'
import { type BrokerHooksOptions, createBrokerHooks } from './brokerHooks.js'
import { type GuardTimers, guardConnection } from './connectionGuard.js'
import { ConnectionLimits } from './connectionLimits.js'

/**
 * Room for a PUBLISH's topic, message id and a SUBSCRIBE's filters on top of
 * `broker.maxPayloadBytes` in the framing check; a payload over the limit but
 * within this room is still read, then refused and counted as `oversized`.
 */
const HEADER_ALLOWANCE_BYTES = 8192

/**
 * The MQTT broker the gateway embeds by default (SPEC §4), so sensors and
 * zigbee2mqtt connect straight to it. MQTT 3.1.1 over plain TCP; the gateway
 * itself publishes in-process through `aedes.publish()`, which bypasses the ACL.
 */
export interface EmbeddedBroker {
  readonly aedes: Aedes
  /** The bound TCP port; the actual one when the config asked for 0. */
  readonly port: number
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
  const connectTimeoutMs = config.connectTimeoutSec * 1000
  const aedes = await Aedes.createBroker({
    ...handlers,
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
  const server = createServer((socket) => {
    const ip = socket.remoteAddress ?? ''
    const overLimit = limits.admit(ip)
    if (overLimit !== null) {
      connectionRefused(overLimit, ip)
      socket.destroy()
      return
    }
    // STYLE §6: Nagle behind delayed ACKs adds ~20 ms to an alarm (SPEC §9 p99 ≤ 20 ms)
    socket.setNoDelay(true)
    sockets.add(socket)
    socket.once('close', () => {
      sockets.delete(socket)
      limits.release(ip)
    })
    const guarded = guardConnection(socket, {
      maxConnectBytes: config.maxConnectBytes,
      maxPacketBytes: config.maxPayloadBytes + HEADER_ALLOWANCE_BYTES,
      connectTimeoutMs,
      ...(opts.timers ? { timers: opts.timers } : {}),
      onRefused: (reason) => connectionRefused(reason, ip),
    })
    aedes.handle(guarded)
  })
  const port = await listen(server, config.host, config.port).catch(async (err: unknown) => {
    await closeAedes(aedes)
    throw new StoreGuardError('broker_unavailable', `cannot listen on ${config.host}:${config.port}`, { cause: err })
  })
  log.info({ host: config.host, port }, 'mqtt broker listening')

  let closing: Promise<void> | undefined
  return {
    aedes,
    port,
    close: () => {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        await closeAedes(aedes) // closes authenticated clients
        // connections still waiting for CONNECT or mid-authentication are not aedes clients yet
        for (const socket of sockets) socket.destroy()
        await serverClosed
        log.info({ port }, 'mqtt broker closed')
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
