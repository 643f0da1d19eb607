/**
 * How many retained messages, and how many bytes of them, each client
 * principal keeps in the broker. Retained messages live in memory until
 * replaced, so without a quota one sensor login could park hundreds of MB
 * under topics of its own. Each retained topic is charged to the principal
 * that set it last; an empty retained payload deletes the message [MQTT-3.3.1-10]
 * and frees its share.
 */
export interface RetainedQuotaLimits {
  readonly maxMessages: number
  readonly maxBytes: number
}

interface Usage {
  messages: number
  bytes: number
}

export class RetainedQuota {
  private readonly topics = new Map<string, { owner: string; bytes: number }>()
  private readonly usage = new Map<string, Usage>()

  constructor(private readonly limits: RetainedQuotaLimits) {}

  /**
   * Whether `owner` may retain `bytes` on `topic`; when it may, it is charged.
   * A refused message is still delivered, only not retained, so the charge is
   * left as it was.
   */
  admit(owner: string, topic: string, bytes: number): boolean {
    const previous = this.topics.get(topic)
    if (bytes === 0) {
      if (previous !== undefined) this.uncharge(previous.owner, topic, previous.bytes)
      return true
    }
    const mine = this.usage.get(owner) ?? { messages: 0, bytes: 0 }
    const replacing = previous?.owner === owner ? previous.bytes : undefined
    const messages = mine.messages + (replacing === undefined ? 1 : 0)
    const total = mine.bytes - (replacing ?? 0) + bytes
    if (messages > this.limits.maxMessages || total > this.limits.maxBytes) return false
    if (previous !== undefined && replacing === undefined) this.uncharge(previous.owner, topic, previous.bytes)
    this.topics.set(topic, { owner, bytes })
    this.usage.set(owner, { messages, bytes: total })
    return true
  }

  /** What `owner` has retained now. */
  usageOf(owner: string): Readonly<Usage> {
    return this.usage.get(owner) ?? { messages: 0, bytes: 0 }
  }

  private uncharge(owner: string, topic: string, bytes: number): void {
    this.topics.delete(topic)
    const u = this.usage.get(owner)
    if (u === undefined) return
    if (u.messages <= 1) this.usage.delete(owner)
    else this.usage.set(owner, { messages: u.messages - 1, bytes: u.bytes - bytes })
  }
}
