import { ILLEGAL_DATA_VALUE, ILLEGAL_FUNCTION, type RegisterTable, type TableResult } from './registerTable.js'
import { withCrc } from './rtuFrame.js'

/**
 * The answer a Modbus RTU slave gives to one request frame (Modbus
 * Application Protocol V1.1b3 §6 for functions 1, 2, 3, 4, 5, 6, 15, 16; §7
 * for exception responses). Pure: table in, bytes out.
 */

/** Request limits per function (§6.1-§6.4, §6.11, §6.12). */
const MAX_READ_BITS = 2000
const MAX_READ_WORDS = 125
const MAX_WRITE_BITS = 1968
const MAX_WRITE_WORDS = 123
const SUPPORTED = new Set([1, 2, 3, 4, 5, 6, 15, 16])

/**
 * The response frame for a CRC-checked request frame, or undefined when the
 * unit id is not one of the table's (another slave's request: stay silent)
 * or it is a broadcast (unit 0: never answered).
 */
export function answerRequest(table: RegisterTable, frame: Buffer): Buffer | undefined {
  const unitId = frame[0] ?? 0
  const fn = frame[1] ?? 0
  if (!table.hasUnit(unitId)) return undefined
  const pdu = answerPdu(table, unitId, fn, frame.subarray(2, frame.length - 2))
  const body = Buffer.concat([Buffer.from([unitId]), pdu])
  return withCrc(body)
}

function answerPdu(table: RegisterTable, unitId: number, fn: number, data: Buffer): Buffer {
  if (!SUPPORTED.has(fn)) return exception(fn, ILLEGAL_FUNCTION)
  if (data.length < 4) return exception(fn, ILLEGAL_DATA_VALUE)
  const address = data.readUInt16BE(0)
  const second = data.readUInt16BE(2)
  switch (fn) {
    case 1:
    case 2:
      if (second < 1 || second > MAX_READ_BITS) return exception(fn, ILLEGAL_DATA_VALUE)
      return reply(fn, table.readBits(unitId, fn === 1 ? 'coil' : 'discrete', address, second), packBits)
    case 3:
    case 4:
      if (second < 1 || second > MAX_READ_WORDS) return exception(fn, ILLEGAL_DATA_VALUE)
      return reply(fn, table.readWords(unitId, fn === 3 ? 'holding' : 'input', address, second), packWords)
    case 5:
      if (second !== 0xff00 && second !== 0x0000) return exception(fn, ILLEGAL_DATA_VALUE)
      return reply(fn, table.writeBit(unitId, address, second === 0xff00), () => data.subarray(0, 4))
    case 6:
      return reply(fn, table.writeWords(unitId, address, [second]), () => data.subarray(0, 4))
    case 15:
      if (second < 1 || second > MAX_WRITE_BITS || data[4] !== Math.ceil(second / 8))
        return exception(fn, ILLEGAL_DATA_VALUE)
      return writeBits(table, unitId, address, unpackBits(data.subarray(5), second), data)
    case 16:
      if (second < 1 || second > MAX_WRITE_WORDS || data[4] !== second * 2) return exception(fn, ILLEGAL_DATA_VALUE)
      return reply(fn, table.writeWords(unitId, address, unpackWords(data.subarray(5), second)), () =>
        data.subarray(0, 4),
      )
    default:
      return exception(fn, ILLEGAL_FUNCTION)
  }
}

/** FC15 through the table's one-bit write, stopping at the first illegal address. */
function writeBits(table: RegisterTable, unitId: number, address: number, bits: boolean[], data: Buffer): Buffer {
  for (const [i, bit] of bits.entries()) {
    const written = table.writeBit(unitId, address + i, bit)
    if (!written.ok) return exception(15, written.code)
  }
  return Buffer.concat([Buffer.from([15]), data.subarray(0, 4)])
}

function reply<T>(fn: number, result: TableResult<T>, body: (value: T) => Buffer): Buffer {
  if (!result.ok) return exception(fn, result.code)
  return Buffer.concat([Buffer.from([fn]), body(result.value)])
}

function exception(fn: number, code: number): Buffer {
  return Buffer.from([fn | 0x80, code])
}

/** Byte count, then bits LSB first (§6.1). */
function packBits(bits: readonly boolean[]): Buffer {
  const bytes = Buffer.alloc(Math.ceil(bits.length / 8))
  bits.forEach((bit, i) => {
    if (bit) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (i & 7))
  })
  return Buffer.concat([Buffer.from([bytes.length]), bytes])
}

/** Byte count, then each register high byte first (§6.3). */
function packWords(words: readonly number[]): Buffer {
  const bytes = Buffer.alloc(words.length * 2)
  words.forEach((w, i) => {
    bytes.writeUInt16BE(w & 0xffff, i * 2)
  })
  return Buffer.concat([Buffer.from([bytes.length]), bytes])
}

function unpackBits(bytes: Buffer, count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => (((bytes[i >> 3] ?? 0) >> (i & 7)) & 1) === 1)
}

function unpackWords(bytes: Buffer, count: number): number[] {
  return Array.from({ length: count }, (_, i) => bytes.readUInt16BE(i * 2))
}
