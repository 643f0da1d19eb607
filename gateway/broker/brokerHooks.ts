import type { AedesOptions, AuthErrorCode, AuthenticateError, Client, PublishPacket } from 'aedes'
import { StoreGuardError } from '../core/errors.js'
import type { Logger, RateLimitedLog } from '../log.js'
import { createRateLimitedLog } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { FairCheckQueue } from '../security/fairCheckQueue.js'
import { createLoginBackoff, type LoginBackoffOptions } from '../security/loginBackoff.js'
import { sourceKey } from '../security/remoteAddress.js'
import { secretChecksCounter } from '../security/secretCheckMetrics.js'
import { verifySecret } from '../security/secretHash.js'
import { ANONYMOUS, type BrokerAcl, type Principal } from './brokerAcl.js'
import { ConnectionBackoff } from './connectionBackoff.js'
import { socketBehind } from './connectionGuard.js'
import { createCredentialVerifier } from './credentialCache.js'
import { InflightLimit, isQos2InflightCut } from './inflightLimit.js'
import { RetainedQuota, type RetainedQuotaLimits } from './retainedQuota.js'
import { unknownUserHash } from './unknownUserHash.js'

/**
 * The aedes hooks that enforce docs/requirements.md#security "per-device MQTT credentials with topic
 * ACLs". Every refusal is counted in `storeguard_broker_refused_total{reason}`
 * and logged through a rate limiter (bounded logging, docs/requirements.md#bad-input) with client id,
 * username and topic — never the password.
 */
export type BrokerRefusal =
  | 'bad_credentials'
  | 'anonymous'
  | 'backoff'
  /** Too many failed logins from this address: answered without checking the password. */
  | 'login_backoff'
  /** This address has too many password checks waiting: CONNACK 3, not checked. */
  | 'busy'
  | 'client_id_taken'
  | 'forbidden_will'
  | 'forbidden_publish'
  | 'oversized'
  | 'forbidden_subscribe'
  // limits of the embedded broker: see connectionGuard, connectionLimits, retainedQuota, inflightLimit
  | 'packet_too_large'
  | 'protocol_error'
  | 'connect_timeout'
  | 'too_many_connections'
  | 'too_many_connections_ip'
  | 'retained_quota'
  | 'inflight_limit'

/** Refusals of a socket before it is an MQTT client, so known only by its address. */
export type ConnectionRefusal = Extract<
  BrokerRefusal,
  'packet_too_large' | 'protocol_error' | 'connect_timeout' | 'too_many_connections' | 'too_many_connections_ip'
>

export interface BrokerHooksOptions {
  readonly acl: BrokerAcl
  readonly allowAnonymous: boolean
  /** Largest accepted PUBLISH payload, bytes (`broker.maxPayloadBytes`). */
  readonly maxPayloadBytes: number
  /** Reconnects are refused this long after a forbidden publish, seconds. */
  readonly forbiddenBackoffSec: number
  /** QoS 1 publishes of one client not yet acknowledged (`broker.maxInflight`). */
  readonly maxInflight: number
  /** Retained messages per principal (`broker.retainedPerClient`). */
  readonly retainedPerClient: RetainedQuotaLimits
  readonly log: Logger
  readonly metrics: GatewayMetrics
  /** Epoch ms. */
  readonly now: () => number
  /** The slow password check; default scrypt `verifySecret`. Tests count its calls. */
  readonly verifySecret?: (secret: string, stored: string) => Promise<boolean>
  /** Scheduler of slow checks; default the process's shared one. */
  readonly queue?: FairCheckQueue
  /** Per-address back-off after failed logins; defaults in `LoginBackoffOptions`. */
  readonly loginBackoff?: Omit<LoginBackoffOptions, 'now'>
  /**
   * An authorized client PUBLISH, before aedes acknowledges it: `ack` lets
   * aedes write the PUBACK / PUBREC. Absent: acknowledged at once.
   */
  readonly clientPublish?: (topic: string, payload: PublishPacket['payload'], ack: () => void) => void
}

export type BrokerHooks = Required<
  Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>
> & {
  /** Follow connects and disconnects, to keep a client id owned by one principal. */
  clientReady(client: Client): void
  clientDisconnect(client: Client): void
  /** Counts and logs a socket the broker closed for a limit; logged per reason, the address only as data. */
  connectionRefused(reason: ConnectionRefusal, ip: string | undefined): void
  /** Counts aedes' own cut of a client, if `err` is one; true when it was. */
  clientErrored(client: Client, err: Error): boolean
}

/** CONNACK 5 "not authorized" for every refusal: a client learns nothing about which part was wrong. */
const NOT_AUTHORIZED = 5 as AuthErrorCode
/** CONNACK 2 "identifier rejected" [MQTT-3.2.2-6 table 3.1]. */
const IDENTIFIER_REJECTED = 2 as AuthErrorCode
/** CONNACK 3 "server unavailable": the password was not checked, so "not authorized" would be a lie. */
const SERVER_UNAVAILABLE = 3 as AuthErrorCode

/** Refusals whose log line is keyed by reason alone: their username is whatever the client sent. */
const LOGIN_REFUSALS: ReadonlySet<BrokerRefusal> = new Set(['bad_credentials', 'login_backoff', 'busy', 'backoff'])

function connectRefusal(returnCode: AuthErrorCode, reason: BrokerRefusal): AuthenticateError {
  return Object.assign(new StoreGuardError('unauthorized', `connection refused: ${reason}`), { returnCode })
}

/** aedes' store of QoS 2 messages awaiting PUBREL, which its public types leave out. */
interface IncomingQos2Store {
  /** Resolves when this client's message id is there already, rejects when it is new. */
  incomingGetPacket(client: Client, packet: PublishPacket): Promise<unknown>
}
const incomingStore = (client: Client) =>
  (client as Client & { broker: { persistence: IncomingQos2Store } }).broker.persistence

const keyOf = (p: Principal) => (p.kind === 'anonymous' ? '' : p.username)

export function createBrokerHooks(o: BrokerHooksOptions): BrokerHooks {
  const backoff = new ConnectionBackoff(o.forbiddenBackoffSec)
  const slowChecks = secretChecksCounter(o.metrics.registry)
  const slowVerify = o.verifySecret ?? verifySecret
  const verifier = createCredentialVerifier({
    now: o.now,
    ...(o.queue ? { queue: o.queue } : {}),
    verifySecret: (secret, stored) => {
      slowChecks.inc({ protocol: 'mqtt' })
      return slowVerify(secret, stored)
    },
  })
  const loginBackoff = createLoginBackoff({ ...o.loginBackoff, now: o.now })
  // made now, not at the first unknown username: its one synchronous scrypt run would make that answer slower
  unknownUserHash()
  const rateLimited: RateLimitedLog = createRateLimitedLog(o.log, 10_000, o.now)
  const principals = new WeakMap<Client, Principal>()
  const willTopics = new WeakMap<Client, { topic: string; bytes: number }>()
  const live = new Map<string, Client>()
  const retained = new RetainedQuota(o.retainedPerClient)
  const inflight = new InflightLimit(o.maxInflight)

  const refuse = (
    reason: BrokerRefusal,
    data: { clientId: string; username: string | undefined; topic?: string; ip?: string },
  ) => {
    o.metrics.brokerRefused.inc({ reason })
    // One log key per reason, and per principal once logged in: bounded by the config, never
    // by usernames, client ids or addresses a client chooses.
    const key = LOGIN_REFUSALS.has(reason) ? reason : `${reason}:${data.username ?? ''}`
    rateLimited(key, { ...data, reason }, 'mqtt client refused')
  }
  const usernameOf = (client: Client) => {
    const principal = principals.get(client)
    return principal === undefined || principal.kind === 'anonymous' ? undefined : principal.username
  }
  /** One count per client cut, however many of its in-flight packets fail with it. */
  const cutForInflight = (client: Client) => {
    if (inflight.firstCut(client)) refuse('inflight_limit', { clientId: client.id, username: usernameOf(client) })
  }

  /**
   * The principal this CONNECT logs in as, or why it may not. An unknown
   * username is checked against a dummy hash through the same cache and queue
   * as a known one, so its answer costs the same and says the same.
   */
  async function admit(
    client: Client,
    source: string,
    username: string | undefined,
    password: Buffer | undefined,
  ): Promise<Principal | BrokerRefusal> {
    if (backoff.isRefused(client.id, username, o.now())) return 'backoff'
    if (username === undefined) return o.allowAnonymous ? ANONYMOUS : 'anonymous'
    // before any cache: a backed-off address must not guess at memory speed either
    if (loginBackoff.waitMs(source) > 0) return 'login_backoff'
    const principal = o.acl.principalFor(username)
    const hash = principal?.passwordHash ?? unknownUserHash()
    const answer = await verifier.verify(source, username, password ?? Buffer.alloc(0), hash)
    if (answer === 'busy') return 'busy'
    if (answer === 'ok' && principal !== undefined) {
      loginBackoff.succeeded(source)
      return principal
    }
    loginBackoff.failed(source)
    return 'bad_credentials'
  }

  /** Checks done once the principal is known; returns the refusal, if any. */
  function vet(client: Client, principal: Principal, username: string | undefined): AuthenticateError | null {
    const clientId = client.id
    const holder = live.get(clientId)
    const holderPrincipal = holder === undefined ? undefined : principals.get(holder)
    // [MQTT-3.1.4-2] a second CONNECT with the same id takes over the session;
    // only the same principal may do that, or a sensor could kick the bridge.
    if (holderPrincipal !== undefined && keyOf(holderPrincipal) !== keyOf(principal)) {
      refuse('client_id_taken', { clientId, username })
      return connectRefusal(IDENTIFIER_REJECTED, 'client_id_taken')
    }
    // the will is published later without its client; judge it now, while we know who set it
    const will = willTopics.get(client)
    if (will !== undefined && (!o.acl.mayPublish(principal, will.topic) || will.bytes > o.maxPayloadBytes)) {
      refuse('forbidden_will', { clientId, username, topic: will.topic })
      return connectRefusal(NOT_AUTHORIZED, 'forbidden_will')
    }
    return null
  }

  return {
    preConnect(client, packet, done) {
      if (packet.will) willTopics.set(client, { topic: packet.will.topic, bytes: byteLength(packet.will.payload) })
      done(null, true)
    },

    authenticate(client, username, password, done) {
      const source = sourceKey(remoteAddressOf(client))
      admit(client, source, username, password).then(
        (principal) => {
          if (typeof principal === 'string') {
            refuse(principal, { clientId: client.id, username, ip: source })
            const code = principal === 'busy' ? SERVER_UNAVAILABLE : NOT_AUTHORIZED
            return done(connectRefusal(code, principal), false)
          }
          const refusal = vet(client, principal, username)
          if (refusal !== null) return done(refusal, false)
          principals.set(client, principal)
          done(null, true)
        },
        // verifySecret never throws; should anything else, refuse rather than crash the broker
        () => done(connectRefusal(NOT_AUTHORIZED, 'bad_credentials'), false),
      )
    },

    authorizePublish(client, packet, done) {
      // aedes.publish() (the gateway, in-process) never comes here; client is
      // null only for a will whose client is gone, and wills are vetted at CONNECT.
      if (client === null) return done(null)
      const principal = principals.get(client)
      const username =
        principal === undefined ? undefined : principal.kind === 'anonymous' ? undefined : principal.username
      const data = { clientId: client.id, username, topic: packet.topic }
      if (principal === undefined || !o.acl.mayPublish(principal, packet.topic)) {
        backoff.recordForbidden(client.id, username, o.now())
        refuse('forbidden_publish', data)
        // MQTT 3.1.1 cannot refuse one PUBLISH: aedes closes the connection [MQTT-3.3.5-2]
        return done(new StoreGuardError('forbidden', 'publish to this topic is not allowed'))
      }
      const bytes = byteLength(packet.payload)
      if (bytes > o.maxPayloadBytes) {
        refuse('oversized', data)
        return done(new StoreGuardError('payload_invalid', 'payload larger than broker.maxPayloadBytes'))
      }
      if (packet.retain && !retained.admit(keyOf(principal), packet.topic, bytes)) {
        // still delivered and acted on (an alarm must flow), only not kept
        packet.retain = false
        refuse('retained_quota', data)
      }
      const { clientPublish } = o
      if (!clientPublish) return done(null)
      // aedes awaits this hook before it acknowledges: the gateway acts on the message first
      if (packet.qos === 1) {
        const handOn = () =>
          clientPublish(packet.topic, packet.payload, () => {
            inflight.release(client)
            done(null)
          })
        if (!inflight.run(client, handOn)) o.metrics.brokerInflightWaits.inc()
        return
      }
      const handOn = () => clientPublish(packet.topic, packet.payload, () => done(null))
      if (packet.qos !== 2) return handOn()
      // A QoS 2 PUBLISH sent again before its PUBREL is one message [MQTT-4.3.3-2]: aedes
      // finds it in its incoming store, answers PUBREC and publishes nothing; the gateway,
      // which comes first, must likewise not count the reading twice.
      incomingStore(client)
        .incomingGetPacket(client, packet)
        .then(() => done(null), handOn)
    },

    authorizeSubscribe(client, sub, done) {
      const principal = principals.get(client)
      if (principal !== undefined && o.acl.maySubscribe(principal, sub.topic)) return done(null, sub)
      const username = principal?.kind === 'anonymous' ? undefined : principal?.username
      refuse('forbidden_subscribe', { clientId: client.id, username, topic: sub.topic })
      // null, not an error: aedes answers SUBACK 0x80 for this filter and keeps
      // the connection and the client's other subscriptions [MQTT-3.9.3].
      done(null, null)
    },

    clientReady(client) {
      live.set(client.id, client)
    },

    clientDisconnect(client) {
      // a takeover by the same id disconnects the old client after the new one is ready
      if (live.get(client.id) === client) live.delete(client.id)
    },

    connectionRefused(reason, ip) {
      o.metrics.brokerRefused.inc({ reason })
      rateLimited(reason, { reason, ip }, 'mqtt connection closed')
    },

    clientErrored(client, err) {
      if (!isQos2InflightCut(err)) return false
      cutForInflight(client)
      return true
    },
  }
}

/** The peer's address; aedes hands us the raw stream, a TCP socket for the embedded broker. */
function remoteAddressOf(client: Client): string | undefined {
  const conn = (socketBehind(client.conn) ?? client.conn) as { remoteAddress?: unknown } | undefined
  return typeof conn?.remoteAddress === 'string' ? conn.remoteAddress : undefined
}

function byteLength(payload: PublishPacket['payload']): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
}
