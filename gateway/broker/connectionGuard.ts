import { Socket } from 'node:net'
import { Duplex } from 'node:stream'
import { type FramingRefusal, type HeaderCheck, MqttFramer } from './mqttFramer.js'

/**
 * Stands between a broker socket and `aedes.handle()`: every byte is passed
 * on unchanged, but the framing is read on the way (see mqttFramer), so a
 * packet larger than allowed closes the socket while its header is still all
 * we have read, and a connection that has not logged in by a deadline is
 * closed. Before login the allowance is a few KB; after the CONNACK that
 * accepts the client, the configured payload size plus room for the topic.
 */
export type GuardRefusal = FramingRefusal | 'connect_timeout'

/** setTimeout and clearTimeout, injectable so tests drive the deadline. */
export interface GuardTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface ConnectionGuardOptions {
  /** Largest remaining length accepted before the client is logged in (`broker.maxConnectBytes`). */
  readonly maxConnectBytes: number
  /** Largest remaining length accepted once it is. */
  readonly maxPacketBytes: number
  /** Time from accept to an accepting CONNACK (`broker.connectTimeoutSec`). */
  readonly connectTimeoutMs: number
  readonly timers?: GuardTimers
  /** Called at most once, when the guard closes the connection. */
  readonly onRefused: (reason: GuardRefusal) => void
}

const CONNECT = 1
const CONNACK = 2
/** Fixed header, remaining length 2, session-present flags, return code [MQTT-3.2]. */
const CONNACK_RETURN_CODE_AT = 3

const realTimers: GuardTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/** What may come in: CONNECT first [MQTT-3.1.0-1], then packets no larger than the login state allows. */
export function packetCheck(limits: { maxConnectBytes: number; maxPacketBytes: number }, loggedIn: () => boolean) {
  const check: HeaderCheck = (header) => {
    if (header.index === 0 && header.type !== CONNECT) return 'protocol_error'
    const limit = loggedIn() ? limits.maxPacketBytes : limits.maxConnectBytes
    return header.remainingLength > limit ? 'packet_too_large' : null
  }
  return check
}

/**
 * Watches what the broker writes for its first packet, the CONNACK: a return
 * code of 0 means the client is logged in. It is seen as aedes writes it, so
 * the larger allowance is in force before the client can have read it.
 */
class ConnackWatcher {
  private readonly head: number[] = []

  /** True once, for the write that completes an accepting CONNACK. */
  accepted(chunk: Uint8Array): boolean {
    if (this.head.length > CONNACK_RETURN_CODE_AT) return false
    for (let i = 0; i < chunk.length && this.head.length <= CONNACK_RETURN_CODE_AT; i++) {
      this.head.push(chunk[i] as number)
    }
    if (this.head.length <= CONNACK_RETURN_CODE_AT) return false
    return (this.head[0] as number) >> 4 === CONNACK && this.head[CONNACK_RETURN_CODE_AT] === 0
  }
}

/** guarded stream → the socket it stands for */
const socketsBehind = new WeakMap<object, Socket>()

/**
 * The socket behind an aedes client's connection: the guarded stream hides
 * it, but the login checks need its address (per-address back-off) and, on
 * mqtts, its certificate.
 */
export function socketBehind(conn: unknown): Socket | undefined {
  if (typeof conn !== 'object' || conn === null) return undefined
  return socketsBehind.get(conn) ?? (conn instanceof Socket ? conn : undefined)
}

/** The stream to hand to `aedes.handle()` in place of `socket`. */
export function guardConnection(socket: Socket, opts: ConnectionGuardOptions): Duplex {
  const timers = opts.timers ?? realTimers
  let loggedIn = false
  let refused = false
  const framer = new MqttFramer(packetCheck(opts, () => loggedIn))
  const connack = new ConnackWatcher()

  const refuse = (reason: GuardRefusal) => {
    if (refused) return
    refused = true
    opts.onRefused(reason)
    socket.destroy()
  }
  const deadline = timers.setTimeout(() => refuse('connect_timeout'), opts.connectTimeoutMs)

  const forward = (chunk: Buffer, callback: (err?: Error | null) => void) => {
    if (!loggedIn && connack.accepted(chunk)) {
      loggedIn = true
      timers.clearTimeout(deadline)
    }
    socket.write(chunk, callback)
  }

  const guarded = new Duplex({
    read() {
      socket.resume()
    },
    write(chunk: Buffer, _encoding, callback) {
      forward(chunk, callback)
    },
    // mqtt-packet corks the stream around each packet's pieces: hand them on as one
    // write, so a packet still leaves in one segment on a socket without Nagle
    writev(chunks, callback) {
      forward(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), callback)
    },
    final(callback) {
      socket.end(callback)
    },
    destroy(err, callback) {
      timers.clearTimeout(deadline)
      socket.destroy()
      callback(err)
    },
  })

  socketsBehind.set(guarded, socket)
  socket.on('data', (chunk: Buffer) => {
    const refusal = framer.feed(chunk)
    if (refusal !== null) return refuse(refusal)
    if (!guarded.push(chunk)) socket.pause()
  })
  socket.on('end', () => guarded.push(null))
  // a reset by the peer is ordinary here; aedes learns of it as a close
  socket.on('error', () => {})
  socket.on('close', () => {
    timers.clearTimeout(deadline)
    guarded.destroy()
  })
  return guarded
}
