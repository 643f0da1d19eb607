import { generate, type IConnectPacket } from 'mqtt-packet'

/**
 * The bytes of an MQTT 3.1.1 CONNECT, for tests that speak raw MQTT to the
 * broker (a half-sent login, a flood of logins, a hand-made QoS 2 exchange)
 * where a client library would hide what is on the wire.
 */
export function connectPacket(login: {
  readonly clientId: string
  readonly username?: string
  readonly password?: string
  /** Seconds; default 30. */
  readonly keepalive?: number
}): Buffer {
  const packet: IConnectPacket = {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId: login.clientId,
    keepalive: login.keepalive ?? 30,
    ...(login.username === undefined ? {} : { username: login.username }),
    ...(login.password === undefined ? {} : { password: Buffer.from(login.password) }),
  }
  return generate(packet)
}
