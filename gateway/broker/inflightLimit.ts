/**
 * Bounds on a client's messages in flight.
 *
 * QoS 1: the gateway acts on each message before its PUBACK, and aedes hands
 * every packet of one socket read to the hooks at once, reading the next only
 * when all of them are done. So at most `max` of one client's QoS 1 messages
 * are handed on at a time; the rest of that read wait their turn in order.
 * The client is never cut for it: a paced sender whose messages piled up in
 * one read while the journal was slow did nothing wrong, and what waits is
 * bounded by what one read can hold.
 *
 * QoS 2: a message awaiting PUBREL waits on the client, not on us, so a client
 * holding back PUBRELs is cut by aedes itself (`maxInflightInbound`, set to
 * the same limit); its cut is recognised here, to be counted once.
 */
export class InflightLimit {
  private readonly running = new WeakMap<object, number>()
  private readonly queued = new WeakMap<object, Array<() => void>>()
  private readonly cut = new WeakSet<object>()

  constructor(private readonly max: number) {}

  /**
   * Starts `work` for one QoS 1 message of `client` now, or once one of its
   * `max` slots frees. Returns false when it had to wait. `work` must call
   * `release(client)` when the message is acknowledged.
   */
  run(client: object, work: () => void): boolean {
    const n = this.running.get(client) ?? 0
    if (n < this.max) {
      this.running.set(client, n + 1)
      work()
      return true
    }
    const waiting = this.queued.get(client)
    if (waiting === undefined) this.queued.set(client, [work])
    else waiting.push(work)
    return false
  }

  /** Frees a slot of `client`: the next waiting message takes it, in arrival order. */
  release(client: object): void {
    const next = this.queued.get(client)?.shift()
    if (next !== undefined) {
      next()
      return
    }
    const n = this.running.get(client) ?? 0
    if (n > 0) this.running.set(client, n - 1)
  }

  /**
   * True the first time for a client: a cut fails every packet of its batch,
   * and each failure is reported, but the client was cut once.
   */
  firstCut(client: object): boolean {
    if (this.cut.has(client)) return false
    this.cut.add(client)
    return true
  }
}

/** aedes' error when a client has more QoS 2 messages awaiting PUBREL than `maxInflightInbound`. */
export const isQos2InflightCut = (err: Error): boolean => err.message.startsWith('maxInflightInbound exceeded')
