/**
 * Modbus RTU framing for the serial simulator (Modbus over Serial Line
 * V1.02 §2.5): address, function, data, CRC-16 low byte first. A real slave
 * splits frames on 3.5 characters of silence; over a pty there is no line
 * timing, so frames are cut by the length each function code implies, and a
 * bad CRC drops one byte to resynchronise.
 */

/** CRC-16/MODBUS (poly 0xA001 reflected, init 0xFFFF). */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff
  for (const byte of bytes) {
    crc ^= byte
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1
  }
  return crc
}

/** `body` followed by its CRC, low byte first. */
export function withCrc(body: Uint8Array): Buffer {
  const frame = Buffer.alloc(body.length + 2)
  frame.set(body)
  frame.writeUInt16LE(crc16(body), body.length)
  return frame
}

export function crcMatches(frame: Uint8Array): boolean {
  if (frame.length < 4) return false
  const body = frame.subarray(0, frame.length - 2)
  return crc16(body) === ((frame[frame.length - 2] ?? 0) | ((frame[frame.length - 1] ?? 0) << 8))
}

/** What the start of a receive buffer holds. */
export type FrameScan =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'frame'; readonly frame: Buffer; readonly rest: Buffer }
  /** Not a frame: drop the first byte and scan again. */
  | { readonly kind: 'garbage'; readonly rest: Buffer }

/** Longest RTU frame (Modbus over Serial Line §2.5.1). */
const MAX_FRAME = 256

/** Finds the first request frame in `buffer`. */
export function scanRequest(buffer: Buffer): FrameScan {
  if (buffer.length < 2) return { kind: 'incomplete' }
  const length = requestLength(buffer)
  if (length === 'unknown') return scanUnknown(buffer)
  if (length === undefined || buffer.length < length) return { kind: 'incomplete' }
  const frame = buffer.subarray(0, length)
  if (!crcMatches(frame)) return { kind: 'garbage', rest: buffer.subarray(1) }
  return { kind: 'frame', frame: Buffer.from(frame), rest: buffer.subarray(length) }
}

/** Bytes in a request with this function code; undefined until the byte count has arrived. */
function requestLength(buffer: Buffer): number | 'unknown' | undefined {
  const fn = buffer[1] ?? 0
  if (fn >= 1 && fn <= 6) return 8
  if (fn === 15 || fn === 16) return buffer.length < 7 ? undefined : 9 + (buffer[6] ?? 0)
  return 'unknown'
}

/** An unsupported function: the frame is whatever prefix has a good CRC (answered with "illegal function"). */
function scanUnknown(buffer: Buffer): FrameScan {
  for (let length = 4; length <= Math.min(buffer.length, MAX_FRAME); length++) {
    if (crcMatches(buffer.subarray(0, length))) {
      return { kind: 'frame', frame: Buffer.from(buffer.subarray(0, length)), rest: buffer.subarray(length) }
    }
  }
  return buffer.length >= MAX_FRAME ? { kind: 'garbage', rest: buffer.subarray(1) } : { kind: 'incomplete' }
}
