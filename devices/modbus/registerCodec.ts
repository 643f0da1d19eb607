import type { ReadingValue } from '../../gateway/core/reading.js'
import type { RegisterConfig } from './modbusSchema.js'

/**
 * Register values <-> Modbus words and bits (docs/requirements.md#modbus: "data type int16 /
 * uint16 / int32 / uint32 / float32 with word order, scale, offset").
 * Pure functions: no I/O, no clock.
 *
 * Byte and word order name where the bytes A (most significant) .. D sit on
 * the wire:
 *
 * | wordOrder | byteOrder | 32-bit wire order |
 * |-----------|-----------|-------------------|
 * | big       | big       | ABCD (Modbus standard) |
 * | little    | big       | CDAB (many PLCs, "word swap") |
 * | big       | little    | BADC ("byte swap") |
 * | little    | little    | DCBA |
 */

export type RegisterFunction = RegisterConfig['function']
export type RegisterType = RegisterConfig['type']

/** The fields that say how a value is laid out and scaled. */
export type RegisterFormat = Pick<RegisterConfig, 'function' | 'type' | 'wordOrder' | 'byteOrder' | 'scale' | 'offset'>

/** What the wire gave for one register: bits for coil/discrete, 16-bit words for holding/input. */
export type RawRegister = readonly boolean[] | readonly number[]

/** A value ready for the wire: one bit (coil) or 16-bit words (holding register). */
export type EncodedValue =
  | { readonly kind: 'bit'; readonly bit: boolean }
  | { readonly kind: 'words'; readonly words: readonly number[] }

export type EncodeResult =
  | { readonly ok: true; readonly value: EncodedValue }
  | { readonly ok: false; readonly detail: string }

/** Coils and discrete inputs are single bits whatever `type` says (the schema's default type is uint16). */
export function isBitFunction(fn: RegisterFunction): fn is 'coil' | 'discrete' {
  return fn === 'coil' || fn === 'discrete'
}

/** How many protocol addresses the value spans: 1 bit, or 1 or 2 16-bit registers. */
export function registerSpan(register: Pick<RegisterConfig, 'function' | 'type'>): 1 | 2 {
  if (isBitFunction(register.function)) return 1
  return register.type === 'int32' || register.type === 'uint32' || register.type === 'float32' ? 2 : 1
}

/**
 * Decodes one register's raw data into a Reading value: a boolean for bits
 * and `bool` registers, otherwise `raw × scale + offset`. A float32 NaN or
 * infinity comes back as such; the caller decides what to do with it.
 */
export function decodeRegister(register: RegisterFormat, raw: RawRegister): ReadingValue {
  if (isBitFunction(register.function)) return raw[0] === true
  const words = raw as readonly number[]
  if (register.type === 'bool') return (words[0] ?? 0) !== 0
  return applyScale(decodeWords(words, register), register)
}

/** The unscaled number in `words` (the first one or two), per type and byte/word order. */
export function decodeWords(
  words: readonly number[],
  format: Pick<RegisterFormat, 'type' | 'wordOrder' | 'byteOrder'>,
): number {
  const bytes = wireToBigEndian(words, format)
  const view = new DataView(bytes.buffer)
  switch (format.type) {
    case 'bool':
    case 'uint16':
      return view.getUint16(0)
    case 'int16':
      return view.getInt16(0)
    case 'uint32':
      return view.getUint32(0)
    case 'int32':
      return view.getInt32(0)
    case 'float32':
      return shortestFloat32(view.getFloat32(0))
  }
}

/**
 * Encodes a value for a write: `(value − offset) / scale`, rounded to an
 * integer for integer types and range-checked, laid out in the register's
 * byte/word order.
 */
export function encodeRegister(register: RegisterFormat, value: ReadingValue): EncodeResult {
  if (register.function === 'discrete' || register.function === 'input') {
    return { ok: false, detail: `a ${register.function} is read-only` }
  }
  if (register.function === 'coil' || register.type === 'bool') {
    const bit = asBoolean(value)
    if (bit === undefined) return { ok: false, detail: `expected a boolean, got ${JSON.stringify(value)}` }
    return {
      ok: true,
      value: register.function === 'coil' ? { kind: 'bit', bit } : { kind: 'words', words: [bit ? 1 : 0] },
    }
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, detail: `expected a finite number, got ${JSON.stringify(value)}` }
  }
  const raw = (value - register.offset) / register.scale
  const words = encodeWords(raw, register)
  return words === undefined
    ? { ok: false, detail: `${value} does not fit a ${register.type} register` }
    : { ok: true, value: { kind: 'words', words } }
}

/** Words for an unscaled number, or undefined when it does not fit the type. */
export function encodeWords(
  raw: number,
  format: Pick<RegisterFormat, 'type' | 'wordOrder' | 'byteOrder'>,
): number[] | undefined {
  if (!Number.isFinite(raw)) return undefined
  const span = registerSpan({ function: 'holding', type: format.type })
  const bytes = new Uint8Array(span * 2)
  const view = new DataView(bytes.buffer)
  const int = Math.round(raw)
  switch (format.type) {
    case 'bool':
    case 'uint16':
      if (int < 0 || int > 0xffff) return undefined
      view.setUint16(0, int)
      break
    case 'int16':
      if (int < -0x8000 || int > 0x7fff) return undefined
      view.setInt16(0, int)
      break
    case 'uint32':
      if (int < 0 || int > 0xffffffff) return undefined
      view.setUint32(0, int)
      break
    case 'int32':
      if (int < -0x80000000 || int > 0x7fffffff) return undefined
      view.setInt32(0, int)
      break
    case 'float32':
      if (!Number.isFinite(Math.fround(raw))) return undefined
      view.setFloat32(0, raw)
      break
  }
  return bigEndianToWire(bytes, format)
}

/** Reorders wire words into big-endian bytes ABCD. */
function wireToBigEndian(words: readonly number[], format: Pick<RegisterFormat, 'type' | 'wordOrder' | 'byteOrder'>) {
  const span = registerSpan({ function: 'holding', type: format.type })
  const ordered = Array.from({ length: span }, (_, i) => swapBytes((words[i] ?? 0) & 0xffff, format.byteOrder))
  if (span === 2 && format.wordOrder === 'little') ordered.reverse()
  const bytes = new Uint8Array(span * 2)
  ordered.forEach((w, i) => {
    bytes[2 * i] = w >> 8
    bytes[2 * i + 1] = w & 0xff
  })
  return bytes
}

/** The inverse of wireToBigEndian. */
function bigEndianToWire(bytes: Uint8Array, format: Pick<RegisterFormat, 'wordOrder' | 'byteOrder'>): number[] {
  const words: number[] = []
  for (let i = 0; i < bytes.length; i += 2) words.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0))
  if (words.length === 2 && format.wordOrder === 'little') words.reverse()
  return words.map((w) => swapBytes(w, format.byteOrder))
}

function swapBytes(word: number, byteOrder: 'big' | 'little'): number {
  return byteOrder === 'big' ? word : ((word & 0xff) << 8) | (word >> 8)
}

/**
 * The shortest decimal that is the same float32 (123.456, not
 * 123.45600128173828): a sensor sends float32, so digits beyond its
 * precision are noise, not data.
 */
function shortestFloat32(x: number): number {
  if (!Number.isFinite(x)) return x
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(x.toPrecision(digits))
    if (Math.fround(candidate) === x) return candidate
  }
  return Number(x.toPrecision(9))
}

/** raw × scale + offset, without binary noise (1235 × 0.1 is 123.5, not 123.50000000000001). */
function applyScale(raw: number, format: Pick<RegisterFormat, 'scale' | 'offset'>): number {
  if (format.scale === 1 && format.offset === 0) return raw
  const value = raw * format.scale + format.offset
  return Number.isFinite(value) ? Number(value.toPrecision(12)) : value
}

/** Relays and sirens take true/false; devices and rules also say 1/0. */
function asBoolean(value: ReadingValue): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  return undefined
}
