import type { AedesOptions, AuthenticateError, Client, PublishPacket } from 'aedes'
import { createLoginBackoff } from '../security/loginBackoff.js'
import { sourceKey } from '../security/remoteAddress.js'
import { secretChecksCounter } from '../security/secretCheckMetrics.js'
import { verifySecret } from '../security/secretHash.js'
import { ANONYMOUS, type Principal } from './brokerAcl.js'
import type { BrokerHooksOptions, BrokerRefusal } from './brokerHooks.js'
import {
  connectRefusal,
  IDENTIFIER_REJECTED,
  NOT_AUTHORIZED,
  type RefusalLog,
  SERVER_UNAVAILABLE,
} from './brokerRefusals.js'
import type { ConnectionBackoff } from './connectionBackoff.js'
import { socketBehind } from './connectionGuard.js'
import { createCredentialVerifier } from './credentialCache.js'
import { unknownUserHash } from './unknownUserHash.js'

/**
 * Login admission: who a CONNECT logs in as, or why it may not. It owns the
 * client → principal map the publish and subscribe checks read, and the map
 * of live client ids that keeps one id owned by one principal.
 */
export interface LoginAdmission extends Required<Pick<AedesOptions, 'preConnect' | 'authenticate'>> {
  /** The principal a client logged in as; undefined before (or without) a login. */
  principalOf(client: Client): Principal | undefined
  clientReady(client: Client): void
  clientDisconnect(client: Client): void
}

export const keyOf = (p: Principal) => (p.kind === 'anonymous' ? '' : p.username)

export function createLoginAdmission(
  o: BrokerHooksOptions,
  refusals: RefusalLog,
  backoff: ConnectionBackoff,
): LoginAdmission {
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
  // made now, not at the first unknown username: its one synchronous hash run would make that answer slower
  unknownUserHash()
  const principals = new WeakMap<Client, Principal>()
  const willTopics = new WeakMap<Client, { topic: string; bytes: number }>()
  const live = new Map<string, Client>()
  const { refuse } = refusals

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
    principalOf: (client) => principals.get(client),

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

    clientReady(client) {
      live.set(client.id, client)
    },

    clientDisconnect(client) {
      // a takeover by the same id disconnects the old client after the new one is ready
      if (live.get(client.id) === client) live.delete(client.id)
    },
  }
}

/** The peer's address; aedes hands us the raw stream, a TCP socket for the embedded broker. */
function remoteAddressOf(client: Client): string | undefined {
  const conn = (socketBehind(client.conn) ?? client.conn) as { remoteAddress?: unknown } | undefined
  return typeof conn?.remoteAddress === 'string' ? conn.remoteAddress : undefined
}

export function byteLength(payload: PublishPacket['payload']): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
}
