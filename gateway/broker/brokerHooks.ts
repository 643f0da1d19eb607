import type { AedesOptions, Client, PublishPacket } from 'aedes'
import type { Logger } from '../log.js'
import type { GatewayMetrics } from '../metrics.js'
import type { FairCheckQueue } from '../security/fairCheckQueue.js'
import type { LoginBackoffOptions } from '../security/loginBackoff.js'
import type { BrokerAcl } from './brokerAcl.js'
import { createLoginAdmission } from './brokerAdmission.js'
import { createPublishAuthorizer } from './brokerPublish.js'
import { createRefusalLog } from './brokerRefusals.js'
import { ConnectionBackoff } from './connectionBackoff.js'
import type { RetainedQuotaLimits } from './retainedQuota.js'

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
  /** The slow password check; default `verifySecret`. Tests count its calls. */
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

/**
 * The hooks are composed from three parts, one job each: login admission
 * (brokerAdmission), publish authorization (brokerPublish) and refusal
 * accounting (brokerRefusals); subscribe authorization is small enough to stay here.
 */
export function createBrokerHooks(o: BrokerHooksOptions): BrokerHooks {
  // shared: a forbidden publish backs off the client's next logins
  const backoff = new ConnectionBackoff(o.forbiddenBackoffSec)
  const refusals = createRefusalLog(o.log, o.metrics, o.now)
  const admission = createLoginAdmission(o, refusals, backoff)
  const publish = createPublishAuthorizer(o, refusals, backoff, admission)

  return {
    preConnect: admission.preConnect,
    authenticate: admission.authenticate,
    authorizePublish: publish.authorizePublish,

    authorizeSubscribe(client, sub, done) {
      const principal = admission.principalOf(client)
      if (principal !== undefined && o.acl.maySubscribe(principal, sub.topic)) return done(null, sub)
      const username = principal?.kind === 'anonymous' ? undefined : principal?.username
      refusals.refuse('forbidden_subscribe', { clientId: client.id, username, topic: sub.topic })
      // null, not an error: aedes answers SUBACK 0x80 for this filter and keeps
      // the connection and the client's other subscriptions [MQTT-3.9.3].
      done(null, null)
    },

    clientReady: admission.clientReady,
    clientDisconnect: admission.clientDisconnect,
    connectionRefused: refusals.connectionRefused,
    clientErrored: publish.clientErrored,
  }
}
