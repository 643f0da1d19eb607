import { isIPv6 } from 'node:net'

/**
 * The key a sign-in is throttled under: the peer's IP address. A dual-stack
 * listener reports IPv4 peers as `::ffff:a.b.c.d`; both spellings of one
 * peer must share a key, or it would get two allowances. An IPv6 peer is
 * keyed by its /64: one host is handed a whole /64 and can pick a fresh
 * address in it for every try, which would escape a per-address back-off.
 */
export function sourceKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown'
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7)
  if (!isIPv6(address)) return address
  const groups = expandIPv6(address.split('%')[0] ?? address)
  return groups === null ? address : `${groups.slice(0, 4).join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address, lower-case without leading zeros; null for an embedded IPv4 tail. */
function expandIPv6(address: string): string[] | null {
  if (address.includes('.')) return null
  const [head = '', tail] = address.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0')
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16).toString(16))
}
