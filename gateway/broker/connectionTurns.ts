import { performance } from 'node:perf_hooks'

/** How long one run of device messages may hold the event loop before the others get a turn (docs/performance.md). */
export const TURN_MS = 2

/**
 * Runs each client's messages in order, and all clients' messages in slices
 * of the event loop's time, taking turns.
 *
 * aedes hands every packet of one socket read to the hooks in one go (a
 * sender 200 messages ahead can put them all in one read), and the gateway
 * acts on each before its acknowledgement. Run back to back, such a read
 * held the loop for tens of ms (bench/README.md, the stall metric), and a
 * leak probe's PUBLISH on another connection waited behind all of it. Here a
 * run stops after `turnMs`: what is left waits in a queue per client, served
 * one message per client in turn once the loop has polled its sockets again,
 * so a message from a client with nothing queued (the probe) is handled at
 * once. A client's own messages never overtake each other, so its
 * acknowledgements keep their order [MQTT-4.6.0-2].
 */
export function createConnectionTurns(turnMs = TURN_MS): (client: object, work: () => void) => void {
  const queues = new Map<object, (() => void)[]>()
  /** When the current run of work began (performance.now()), or -1 between runs. */
  let started = -1
  let draining = false
  const endRun = () => {
    started = -1
  }
  const overRun = () => {
    const now = performance.now()
    if (started < 0) {
      started = now
      // the run ends once the loop gets to its check phase, whichever way it got there
      setImmediate(endRun)
    }
    return now - started >= turnMs
  }
  const drain = () => {
    draining = false
    started = performance.now()
    try {
      while (queues.size > 0) {
        for (const [client, queue] of queues) {
          const work = queue.shift()
          // served: to the back of the line, so the next drain starts with the others
          queues.delete(client)
          if (queue.length > 0) queues.set(client, queue)
          work?.()
          if (overRun()) return schedule()
        }
      }
    } finally {
      // a message read in the next poll phase from a client with nothing queued runs at once
      started = -1
    }
  }
  const schedule = () => {
    if (draining) return
    draining = true
    setImmediate(drain)
  }
  return (client, work) => {
    const queue = queues.get(client)
    if (queue !== undefined) {
      queue.push(work)
      return
    }
    if (!overRun()) return work()
    queues.set(client, [work])
    schedule()
  }
}
