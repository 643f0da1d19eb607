/**
 * Remembers who was caught publishing a forbidden topic, so their reconnects
 * can be refused for a while. aedes speaks MQTT 3.1.1, which has no way to
 * refuse one PUBLISH: it closes the connection [MQTT-3.3.5-2]. A misbehaving
 * device then reconnects at once and loops; refusing its CONNECTs for
 * `broker.forbiddenBackoffSec` turns that loop into a cheap CONNACK 5.
 *
 * Keyed by client id AND by username: a device that changes its client id on
 * every connect is still caught by its username, and an anonymous client
 * (no username) by its client id. An anonymous client that invents a new id
 * per connect escapes; anonymous access is an opt-in for trusted LANs.
 */
export class ConnectionBackoff {
  /** key → time the backoff ends, epoch ms */
  readonly #until = new Map<string, number>()
  readonly #backoffMs: number
  readonly #maxEntries: number

  /**
   * @param backoffSec how long after a forbidden publish reconnects are refused, seconds; 0 disables
   * @param maxEntries bound on remembered keys (random anonymous client ids must not grow memory); default 10 000
   */
  constructor(backoffSec: number, maxEntries = 10_000) {
    this.#backoffMs = Math.max(0, backoffSec) * 1000
    this.#maxEntries = maxEntries
  }

  /** Record a forbidden publish at `nowMs` (epoch ms). */
  recordForbidden(clientId: string, username: string | undefined, nowMs: number): void {
    if (this.#backoffMs === 0) return
    const until = nowMs + this.#backoffMs
    for (const key of keysOf(clientId, username)) {
      this.#until.delete(key) // re-insert so Map order stays oldest-first
      this.#until.set(key, until)
    }
    this.#prune(nowMs)
  }

  /** True while a client with this id or this username is in backoff at `nowMs` (epoch ms). */
  isRefused(clientId: string, username: string | undefined, nowMs: number): boolean {
    let refused = false
    for (const key of keysOf(clientId, username)) {
      const until = this.#until.get(key)
      if (until === undefined) continue
      if (nowMs < until) refused = true
      else this.#until.delete(key)
    }
    return refused
  }

  /** Number of keys remembered; for tests and metrics. */
  get size(): number {
    return this.#until.size
  }

  #prune(nowMs: number): void {
    if (this.#until.size <= this.#maxEntries) return
    for (const [key, until] of this.#until) if (until <= nowMs) this.#until.delete(key)
    // still too many: forget the oldest, which expire first
    for (const key of this.#until.keys()) {
      if (this.#until.size <= this.#maxEntries) break
      this.#until.delete(key)
    }
  }
}

function keysOf(clientId: string, username: string | undefined): string[] {
  // A client id is scoped by its username: otherwise an anonymous client (or
  // another device) could choose a victim's client id, publish something
  // forbidden, and get the victim refused. `u:` and `c:` keep the two apart.
  const byClientId = `c:${username ?? ''}\u0000${clientId}`
  return username === undefined ? [byClientId] : [byClientId, `u:${username}`]
}
