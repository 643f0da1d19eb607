import { TopicIndex } from '../broker/topicIndex.js'

type Handler = (topic: string, payload: Buffer) => void

/**
 * Resolves once everything the messages handled so far caused is durable
 * (e.g. telemetry in the disk buffer during an InfluxDB outage), or is null
 * when it already is. It never rejects. Alarm transitions need no wait: the
 * journal commits them synchronously, inside the handler.
 */
export type DurabilityBarrier = () => Promise<void> | null

export interface DeliveryGate {
  /** Adds `handler` for `filters`; a message reaches each handler once, however many of its filters match. */
  add(filters: readonly string[], handler: Handler): void
  remove(filters: readonly string[]): void
  /**
   * A device message the sender waits to have acknowledged: handled at once
   * (or, before `open`, held), and `ack` is called only after the barrier,
   * so PUBACK never promises more than the journal and the buffer hold.
   * Acks go out in the order the messages came in.
   */
  deliver(topic: string, payload: Buffer, ack: () => void): void
  /** The handlers are in: hands on what was held, then everything at once. Idempotent. */
  open(barrier: DurabilityBarrier): void
  readonly isOpen: boolean
}

/**
 * Where device messages enter the gateway, for either broker. A message that
 * comes before the gateway has subscribed its handlers (a persistent session
 * redelivered right after CONNACK, a sensor quicker than the start-up) is
 * held, not dropped and not acknowledged: acknowledged, the sender would
 * never send it again.
 *
 * A message no handler's filter matches is one no device and no part of the
 * gateway reads: `unowned` hears of it, so it is counted rather than lost
 * without a trace. It is still acknowledged; a client sending it again would
 * change nothing.
 */
export function createDeliveryGate(unowned: (topic: string) => void = () => undefined): DeliveryGate {
  const handlers = new TopicIndex<Handler>()
  const held: { topic: string; payload: Buffer; ack: () => void }[] = []
  let barrier: DurabilityBarrier | null = null
  // acks still waiting on a barrier; a later message must not overtake them
  let waiting = 0
  let tail: Promise<unknown> = Promise.resolve()

  const dispatch = (topic: string, payload: Buffer) => {
    const matched = handlers.match(topic)
    if (matched.length === 0) return unowned(topic)
    for (const handler of matched) handler(topic, payload)
  }
  const acknowledge = (wait: Promise<void> | null, ack: () => void) => {
    if (wait === null && waiting === 0) return ack()
    waiting++
    tail = tail
      .then(() => wait)
      .catch(() => undefined)
      .then(() => {
        waiting--
        ack()
      })
  }

  return {
    add(filters, handler) {
      for (const f of filters) handlers.set(f, handler)
    },
    remove(filters) {
      for (const f of filters) handlers.delete(f)
    },
    deliver(topic, payload, ack) {
      if (barrier === null) {
        held.push({ topic, payload, ack })
        return
      }
      dispatch(topic, payload)
      acknowledge(barrier(), ack)
    },
    open(next) {
      if (barrier !== null) return
      barrier = next
      const messages = held.splice(0)
      for (const m of messages) dispatch(m.topic, m.payload)
      // one barrier for the whole backlog: one group commit, not one per message
      const wait = next()
      for (const m of messages) acknowledge(wait, m.ack)
    },
    get isOpen() {
      return barrier !== null
    },
  }
}
