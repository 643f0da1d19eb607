import type { MqttClient } from 'mqtt'
import { INVALID, nextUplinkState, type UplinkInput, type UplinkState } from './uplinkStates.js'
import type { NewUplinkMessage, UplinkMessage, UplinkStore } from './uplinkStore.js'

export interface UplinkSenderOptions {
  readonly store: UplinkStore
  /** Messages handed to the broker and not yet acknowledged, at most. */
  readonly maxInFlight: number
  /** Queue bound while the centre is away (docs/requirements.md#upstream-bridge); the oldest telemetry goes first. */
  readonly maxQueued: number
  readonly onAcknowledged: (count: number) => void
  readonly onDropped: (count: number) => void
  /** How often acknowledged messages are deleted from the queue, ms; default 200. */
  readonly ackFlushMs?: number
}

export interface UplinkSender {
  /** Queues one message; it is committed to SQLite before this event-loop turn ends. */
  enqueue(message: NewUplinkMessage): void
  /** The session is up: send from where we are. */
  connected(client: MqttClient): void
  disconnected(): void
  inFlight(): number
  /** Commits what is queued and forgets what was acknowledged; the rest waits in SQLite for the next start. */
  stop(): void
}

/**
 * Drains the durable queue to the central broker in order, QoS 1, with at
 * most `maxInFlight` unacknowledged. Messages are appended in one transaction
 * per event-loop turn (an alarm is a retained state and an event: one fsync,
 * not two) and deleted in batches once acknowledged.
 *
 * After a reconnection mqtt.js sends its unacknowledged messages again on the
 * resumed session, so the cursor does not move back; after a restart it
 * starts at the oldest message in the queue.
 */
export function createUplinkSender(options: UplinkSenderOptions): UplinkSender {
  const { store } = options
  let state: UplinkState = 'offline'
  // the session's client while `online`, null otherwise
  let client: MqttClient | null = null
  let cursor = 0 // the highest seq handed to mqtt.js in this process
  const unacknowledged = new Set<number>()
  let acknowledged: number[] = []
  let pending: NewUplinkMessage[] = []
  let commitScheduled = false
  let flushTimer: NodeJS.Timeout | null = null

  /** Moves the state through the table; false (and no change) for an input the state does not take. */
  const fire = (input: UplinkInput): boolean => {
    const to = nextUplinkState(state, input)
    if (to === INVALID) return false
    state = to
    return true
  }

  const commit = () => {
    commitScheduled = false
    if (state === 'stopped' || pending.length === 0) return
    const batch = pending
    pending = []
    store.append(batch, cursor)
    const dropped = store.trim(options.maxQueued, cursor)
    if (dropped > 0) options.onDropped(dropped)
    pump()
  }
  const flushAcknowledged = () => {
    flushTimer = null
    if (acknowledged.length === 0) return
    const seqs = acknowledged
    acknowledged = []
    store.remove(seqs)
    options.onAcknowledged(seqs.length)
  }
  const settled = (seq: number, err: Error | undefined) => {
    unacknowledged.delete(seq)
    if (state === 'stopped') return
    if (err) {
      // the client gave up on it (it is closing): the next connection sends it again from the queue
      cursor = Math.min(cursor, seq - 1)
      return
    }
    acknowledged.push(seq)
    flushTimer ??= setTimeout(flushAcknowledged, options.ackFlushMs ?? 200)
    pump()
  }
  /** Hands one message to mqtt.js; false when it refused it at once, which rewound the cursor. */
  const send = (c: MqttClient, m: UplinkMessage): boolean => {
    cursor = m.seq
    // after a rewind, one still in flight is not sent twice
    if (unacknowledged.has(m.seq)) return true
    unacknowledged.add(m.seq)
    c.publish(m.topic, m.payload, { qos: 1, retain: m.retain }, (err) => settled(m.seq, err))
    return cursor === m.seq
  }
  const pump = () => {
    // mqtt.js stays `connected` until its socket has closed, and refuses a publish at once while it is
    // `disconnecting`: without this check the loop would take the same message back forever
    while (
      state === 'online' &&
      client?.connected &&
      !client.disconnecting &&
      unacknowledged.size < options.maxInFlight
    ) {
      const batch = store.after(cursor, options.maxInFlight - unacknowledged.size)
      if (batch.length === 0) return
      for (const m of batch) if (!send(client, m)) return
    }
  }

  return {
    enqueue(message) {
      if (state === 'stopped') return
      pending.push(message)
      if (!commitScheduled) {
        commitScheduled = true
        setImmediate(commit)
      }
    },
    connected(c) {
      if (!fire('connect')) return
      client = c
      pump()
    },
    disconnected() {
      if (fire('disconnect')) client = null
    },
    inFlight: () => unacknowledged.size,
    stop() {
      // what is queued is committed while the sender still takes it
      if (nextUplinkState(state, 'stop') === INVALID) return
      commit()
      if (flushTimer) clearTimeout(flushTimer)
      flushAcknowledged()
      fire('stop')
      client = null
    },
  }
}
