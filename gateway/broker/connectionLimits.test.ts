import { describe, expect, it } from 'vitest'
import { ConnectionLimits } from './connectionLimits.js'

describe('connection limits', () => {
  it('refuses a socket from an address that has its share, while others still get in', () => {
    const limits = new ConnectionLimits({ maxConnections: 10, maxConnectionsPerIp: 2 })
    expect(limits.admit('10.0.0.1')).toBeNull()
    expect(limits.admit('10.0.0.1')).toBeNull()
    expect(limits.admit('10.0.0.1')).toBe('too_many_connections_ip')
    expect(limits.admit('10.0.0.2')).toBeNull()
    expect(limits.open).toBe(3)
  })

  it('refuses any socket once the total is reached, and names the total as the reason', () => {
    const limits = new ConnectionLimits({ maxConnections: 3, maxConnectionsPerIp: 2 })
    for (const ip of ['a', 'b', 'c']) expect(limits.admit(ip)).toBeNull()
    expect(limits.admit('d')).toBe('too_many_connections')
    expect(limits.admit('a')).toBe('too_many_connections')
  })

  it('gives the slot back on release, to the address and to the total', () => {
    const limits = new ConnectionLimits({ maxConnections: 2, maxConnectionsPerIp: 1 })
    expect(limits.admit('a')).toBeNull()
    expect(limits.admit('b')).toBeNull()
    limits.release('a')
    expect(limits.open).toBe(1)
    expect(limits.admit('a')).toBeNull()
    expect(limits.admit('b')).toBe('too_many_connections')
  })

  it('ignores a release for an address that holds nothing', () => {
    const limits = new ConnectionLimits({ maxConnections: 1, maxConnectionsPerIp: 1 })
    limits.release('nobody')
    expect(limits.open).toBe(0)
    expect(limits.admit('a')).toBeNull()
  })
})
