/** A server bound to every address is reached on loopback. */
export function connectHost(listenHost: string): string {
  return listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost
}
