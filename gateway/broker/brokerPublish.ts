import type { AedesOptions, Client, PublishPacket } from 'aedes'
import { StoreGuardError } from '../core/errors.js'
import { byteLength, keyOf, type LoginAdmission } from './brokerAdmission.js'
import type { BrokerHooksOptions } from './brokerHooks.js'
import type { RefusalLog } from './brokerRefusals.js'
import type { ConnectionBackoff } from './connectionBackoff.js'
import { InflightLimit, isQos2InflightCut } from './inflightLimit.js'
import { RetainedQuota } from './retainedQuota.js'

/**
 * Publish authorization: whether a logged-in client may publish a packet, the
 * payload and retained limits, and the hand-off to the gateway before aedes
 * acknowledges it.
 */
export interface PublishAuthorizer extends Required<Pick<AedesOptions, 'authorizePublish'>> {
  /** Counts aedes' own cut of a client, if `err` is one; true when it was. */
  clientErrored(client: Client, err: Error): boolean
}

/** aedes' store of QoS 2 messages awaiting PUBREL, which its public types leave out. */
interface IncomingQos2Store {
  /** Resolves when this client's message id is there already, rejects when it is new. */
  incomingGetPacket(client: Client, packet: PublishPacket): Promise<unknown>
}
const incomingStore = (client: Client) =>
  (client as Client & { broker: { persistence: IncomingQos2Store } }).broker.persistence

export function createPublishAuthorizer(
  o: BrokerHooksOptions,
  refusals: RefusalLog,
  backoff: ConnectionBackoff,
  admission: Pick<LoginAdmission, 'principalOf'>,
): PublishAuthorizer {
  const retained = new RetainedQuota(o.retainedPerClient)
  const inflight = new InflightLimit(o.maxInflight)
  const { refuse } = refusals

  const usernameOf = (client: Client) => {
    const principal = admission.principalOf(client)
    return principal === undefined || principal.kind === 'anonymous' ? undefined : principal.username
  }
  /** One count per client cut, however many of its in-flight packets fail with it. */
  const cutForInflight = (client: Client) => {
    if (inflight.firstCut(client)) refuse('inflight_limit', { clientId: client.id, username: usernameOf(client) })
  }

  return {
    authorizePublish(client, packet, done) {
      // aedes.publish() (the gateway, in-process) never comes here; client is
      // null only for a will whose client is gone, and wills are vetted at CONNECT.
      if (client === null) return done(null)
      const principal = admission.principalOf(client)
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

    clientErrored(client, err) {
      if (!isQos2InflightCut(err)) return false
      cutForInflight(client)
      return true
    },
  }
}
