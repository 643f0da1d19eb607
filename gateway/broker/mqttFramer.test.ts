import { generate, type Packet } from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { type FramingRefusal, MqttFramer, type PacketHeader } from './mqttFramer.js'

const connect = generate({
  cmd: 'connect',
  protocolId: 'MQTT',
  protocolVersion: 4,
  clean: true,
  clientId: 'smoke-1',
  keepalive: 30,
  username: 'smoke-1',
  password: Buffer.from('pw'),
} as Packet)
const publish = (payloadBytes: number, qos: 0 | 1 | 2 = 0) =>
  generate({
    cmd: 'publish',
    topic: 'storeguard/s/devices/smoke-1/state',
    payload: Buffer.alloc(payloadBytes, 0x61),
    qos,
    messageId: qos === 0 ? undefined : 7,
    retain: false,
    dup: false,
  } as Packet)
const pingreq = generate({ cmd: 'pingreq' } as Packet)
const disconnect = generate({ cmd: 'disconnect' } as Packet)

/** Feeds `bytes` cut at `cuts` (offsets), and returns the headers seen and the first refusal. */
function run(bytes: Buffer, cuts: number[], check: (h: PacketHeader) => FramingRefusal | null = () => null) {
  const headers: PacketHeader[] = []
  const framer = new MqttFramer((h) => {
    headers.push(h)
    return check(h)
  })
  let refusal: FramingRefusal | null = null
  let from = 0
  for (const to of [...cuts, bytes.length]) {
    refusal = framer.feed(bytes.subarray(from, to))
    from = to
    if (refusal !== null) break
  }
  return { headers, refusal }
}

describe('the MQTT framer', () => {
  // remaining lengths of 1, 2 and 3 varint bytes (127, 128 and 16 384 are the boundaries)
  const stream = Buffer.concat([connect, publish(10, 1), publish(200, 2), pingreq, publish(20_000), disconnect])
  const expected = [
    { type: 1, remainingLength: connect.length - 2 },
    { type: 3, flags: 2, remainingLength: publish(10, 1).length - 2 },
    { type: 3, flags: 4, remainingLength: publish(200, 2).length - 3 },
    { type: 12, remainingLength: 0 },
    { type: 3, flags: 0, remainingLength: publish(20_000).length - 4 },
    { type: 14, remainingLength: 0 },
  ]

  it('reads every header of coalesced packets, in order, with their index', () => {
    const { headers, refusal } = run(stream, [])
    expect(refusal).toBeNull()
    expect(headers).toMatchObject(expected.map((h, index) => ({ ...h, index })))
  })

  it('reads the same headers wherever one cut splits the stream', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 ? 1 : 97) {
      expect(run(stream, [cut]).headers, `cut at ${cut}`).toMatchObject(expected)
    }
  })

  it('reads the same headers when every byte arrives alone', () => {
    const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1)
    expect(run(stream, cuts).headers).toMatchObject(expected)
  })

  it('refuses a declared length as soon as its last varint byte is in, without the body', () => {
    // PUBLISH declaring 268 435 455 bytes (the largest MQTT allows), no body sent
    const header = Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f])
    for (let cut = 1; cut < header.length; cut++) {
      const { refusal, headers } = run(header, [cut], (h) => (h.remainingLength > 4096 ? 'packet_too_large' : null))
      expect(refusal).toBe('packet_too_large')
      expect(headers).toEqual([{ type: 3, flags: 0, remainingLength: 268_435_455, index: 0 }])
    }
  })

  it('keeps refusing once refused, and reads no further headers', () => {
    const framer = new MqttFramer((h) => (h.index === 1 ? 'packet_too_large' : null))
    expect(framer.feed(Buffer.concat([connect, publish(10)]))).toBe('packet_too_large')
    expect(framer.feed(pingreq)).toBe('packet_too_large')
  })

  it('refuses a remaining length of more than four bytes as malformed [MQTT-2.2.3]', () => {
    const { refusal, headers } = run(Buffer.from([0x10, 0x80, 0x80, 0x80, 0x80, 0x01]), [2, 4])
    expect(refusal).toBe('protocol_error')
    expect(headers).toEqual([])
  })

  it('refuses a zero first byte (reserved packet type 0)', () => {
    expect(run(Buffer.concat([connect, Buffer.from([0x00, 0x00])]), []).refusal).toBe('protocol_error')
  })

  it('skips bodies without looking into them: body bytes that look like headers are not headers', () => {
    const body = Buffer.alloc(300, 0x30) // 0x30 0x30… would be PUBLISH headers if read as such
    const fake = Buffer.concat([Buffer.from([0x30, 0xac, 0x02]), body])
    const { headers } = run(Buffer.concat([fake, pingreq]), [1, 2, 3, 150])
    expect(headers.map((h) => h.type)).toEqual([3, 12])
  })
})
