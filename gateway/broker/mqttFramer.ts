/**
 * Reads MQTT framing — each packet's fixed header and remaining-length varint
 * [MQTT-2.2.3] — from bytes as they stream in, and never the bodies. The
 * parser in aedes (mqtt-packet) buffers a whole packet before it can judge it,
 * so a client declaring a 250 MB packet costs 250 MB; this sees the declared
 * length after at most five bytes and lets the caller close the socket first.
 */

/** A packet's fixed header: its control packet type (1 CONNECT … 14 DISCONNECT), flags and body length. */
export interface PacketHeader {
  readonly type: number
  readonly flags: number
  readonly remainingLength: number
  /** 0 for the first packet on the connection. */
  readonly index: number
}

/** Why the stream must stop: a header the caller refused, or framing that is not MQTT. */
export type FramingRefusal = 'packet_too_large' | 'protocol_error'

/** Judges each header as soon as it is complete; null lets the packet through. */
export type HeaderCheck = (header: PacketHeader) => FramingRefusal | null

/** [MQTT-2.2.3] the remaining length takes at most four bytes. */
const MAX_LENGTH_BYTES = 4

export class MqttFramer {
  /** Body bytes of the current packet still to skip; -1 while reading a header. */
  private bodyLeft = -1
  private firstByte = 0
  private length = 0
  private lengthBytes = 0
  private index = 0
  private refused: FramingRefusal | null = null

  constructor(private readonly check: HeaderCheck) {}

  /**
   * Follows `chunk` through the framing. Returns the refusal once the stream is
   * refused (and from then on), else null; chunks may split or join packets anywhere.
   */
  feed(chunk: Uint8Array): FramingRefusal | null {
    let i = 0
    while (i < chunk.length && this.refused === null) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - i)
        this.bodyLeft -= skip
        i += skip
        if (this.bodyLeft === 0) this.bodyLeft = -1
        continue
      }
      const byte = chunk[i++] as number
      if (this.firstByte === 0) {
        // type 0 is reserved [MQTT-2.2.1]: a zero first byte is never MQTT
        if (byte === 0) {
          this.refused = 'protocol_error'
          break
        }
        this.firstByte = byte
        continue
      }
      this.length += (byte & 0x7f) * 128 ** this.lengthBytes
      this.lengthBytes++
      if (byte & 0x80) {
        if (this.lengthBytes === MAX_LENGTH_BYTES) this.refused = 'protocol_error'
        continue
      }
      this.refused = this.check({
        type: this.firstByte >> 4,
        flags: this.firstByte & 0x0f,
        remainingLength: this.length,
        index: this.index++,
      })
      this.bodyLeft = this.length === 0 ? -1 : this.length
      this.firstByte = 0
      this.length = 0
      this.lengthBytes = 0
    }
    return this.refused
  }
}
