import { describe, expect, it } from 'vitest'
import { sourceKey } from './remoteAddress.js'

describe('sourceKey', () => {
  it('keys an IPv4 peer by its address, however the listener spells it', () => {
    expect(sourceKey('192.0.2.7')).toBe('192.0.2.7')
    expect(sourceKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
  })

  it('keys an IPv6 peer by its /64, so a fresh address in it is the same source', () => {
    expect(sourceKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(sourceKey('2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(sourceKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(sourceKey('::1')).toBe('0:0:0:0::/64')
  })

  it('has one key for a peer of unknown address', () => {
    expect(sourceKey(undefined)).toBe('unknown')
    expect(sourceKey('')).toBe('unknown')
  })
})
