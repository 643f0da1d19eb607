/**
 * Caps on open broker sockets, in total and per remote address, checked at
 * accept: every socket costs a file descriptor and buffers before it has
 * said who it is, so a flood of idle connections must not exhaust them.
 */
export type ConnectionRefusal = 'too_many_connections' | 'too_many_connections_ip'

export interface ConnectionLimitsOptions {
  readonly maxConnections: number
  readonly maxConnectionsPerIp: number
}

export class ConnectionLimits {
  private total = 0
  private readonly perIp = new Map<string, number>()

  constructor(private readonly limits: ConnectionLimitsOptions) {}

  /** Takes a slot for a socket from `ip`, or says why there is none. Release every admitted socket once. */
  admit(ip: string): ConnectionRefusal | null {
    if (this.total >= this.limits.maxConnections) return 'too_many_connections'
    const fromIp = this.perIp.get(ip) ?? 0
    if (fromIp >= this.limits.maxConnectionsPerIp) return 'too_many_connections_ip'
    this.total++
    this.perIp.set(ip, fromIp + 1)
    return null
  }

  release(ip: string): void {
    const fromIp = this.perIp.get(ip) ?? 0
    if (fromIp <= 0) return
    this.total--
    // drop the entry, so the map stays as small as the set of addresses connected now
    if (fromIp === 1) this.perIp.delete(ip)
    else this.perIp.set(ip, fromIp - 1)
  }

  get open(): number {
    return this.total
  }
}
