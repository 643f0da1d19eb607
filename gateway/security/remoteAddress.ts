/**
 * The key a sign-in is throttled under: the peer's IP address. A dual-stack
 * listener reports IPv4 peers as `::ffff:a.b.c.d`; both spellings of one
 * peer must share a key, or it would get two allowances.
 */
export function sourceKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown'
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address
}
