/**
 * A bound on the QoS 1 messages one client has sent that are not yet
 * acknowledged. aedes hands a whole socket read to the hooks at once, and the
 * gateway acts on each message before its PUBACK, so a client pipelining
 * thousands of tiny QoS 1 publishes would otherwise have them all in progress.
 * QoS 2 messages awaiting PUBREL are bounded by aedes itself (its
 * `maxInflightInbound`, set to the same limit); its cut is recognised here.
 */
export class InflightLimit {
  private readonly pending = new WeakMap<object, number>()
  private readonly cut = new WeakSet<object>()

  constructor(private readonly max: number) {}

  /** Takes a slot for one QoS 1 publish of `client`; false when it has `max` in flight already. */
  take(client: object): boolean {
    const n = this.pending.get(client) ?? 0
    if (n >= this.max) return false
    this.pending.set(client, n + 1)
    return true
  }

  release(client: object): void {
    const n = this.pending.get(client) ?? 0
    if (n > 0) this.pending.set(client, n - 1)
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
