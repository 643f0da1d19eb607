import { describe, expect, it } from 'vitest'
import type { RegisterConfig } from './modbusSchema.js'
import { decodeRegister, encodeRegister, type RegisterFormat, registerSpan } from './registerCodec.js'

type Order = 'big' | 'little'

function format(overrides: Partial<RegisterFormat> = {}): RegisterFormat {
  return { function: 'holding', type: 'uint16', wordOrder: 'big', byteOrder: 'big', scale: 1, offset: 0, ...overrides }
}

/** The four 32-bit layouts by their common names (see registerCodec.ts). */
const ORDERS: readonly { name: string; wordOrder: Order; byteOrder: Order }[] = [
  { name: 'ABCD', wordOrder: 'big', byteOrder: 'big' },
  { name: 'CDAB', wordOrder: 'little', byteOrder: 'big' },
  { name: 'BADC', wordOrder: 'big', byteOrder: 'little' },
  { name: 'DCBA', wordOrder: 'little', byteOrder: 'little' },
]

/** Bytes A..D of a big-endian 32-bit value laid out per order name, as two wire words. */
function wireWords(abcd: number, order: string): number[] {
  const bytes = [(abcd >>> 24) & 0xff, (abcd >>> 16) & 0xff, (abcd >>> 8) & 0xff, abcd & 0xff]
  const at = (letter: string) => bytes['ABCD'.indexOf(letter)] ?? 0
  const [a, b, c, d] = [...order].map(at) as [number, number, number, number]
  return [(a << 8) | b, (c << 8) | d]
}

describe('registerCodec', () => {
  describe('16-bit registers', () => {
    it('reads 0xFFFF as -1 for int16 and 65535 for uint16', () => {
      expect(decodeRegister(format({ type: 'int16' }), [0xffff])).toBe(-1)
      expect(decodeRegister(format({ type: 'uint16' }), [0xffff])).toBe(65535)
    })

    it('reads int16 extremes', () => {
      expect(decodeRegister(format({ type: 'int16' }), [0x8000])).toBe(-32768)
      expect(decodeRegister(format({ type: 'int16' }), [0x7fff])).toBe(32767)
    })

    it('swaps the two bytes of a register when byteOrder is little', () => {
      expect(decodeRegister(format({ type: 'uint16', byteOrder: 'little' }), [0x3412])).toBe(0x1234)
      expect(decodeRegister(format({ type: 'int16', byteOrder: 'little' }), [0xfeff])).toBe(-2)
    })

    it('reads a level in mm as cm with scale 0.1', () => {
      expect(decodeRegister(format({ type: 'int16', scale: 0.1 }), [1235])).toBe(123.5)
      expect(decodeRegister(format({ type: 'int16', scale: 0.1 }), [0xfff6])).toBe(-1)
    })

    it('applies raw × scale + offset', () => {
      // a 4-20 mA transmitter mapped to 0..1000 counts, reported as -40..+60 °C
      expect(decodeRegister(format({ type: 'uint16', scale: 0.1, offset: -40 }), [650])).toBe(25)
    })

    it('reads a bool register as true when it is not zero', () => {
      expect(decodeRegister(format({ type: 'bool' }), [0])).toBe(false)
      expect(decodeRegister(format({ type: 'bool' }), [2])).toBe(true)
    })
  })

  describe('32-bit registers in every word and byte order', () => {
    for (const { name, wordOrder, byteOrder } of ORDERS) {
      it(`reads float32 123.456 laid out ${name}`, () => {
        const words = wireWords(0x42f6e979, name)
        expect(decodeRegister(format({ type: 'float32', wordOrder, byteOrder }), words)).toBe(123.456)
      })

      it(`reads int32 -123456789 laid out ${name}`, () => {
        const words = wireWords(-123456789 >>> 0, name)
        expect(decodeRegister(format({ type: 'int32', wordOrder, byteOrder }), words)).toBe(-123456789)
      })

      it(`reads uint32 4294967295 and 0x12345678 laid out ${name}`, () => {
        const f = format({ type: 'uint32', wordOrder, byteOrder })
        expect(decodeRegister(f, wireWords(0xffffffff, name))).toBe(4294967295)
        expect(decodeRegister(f, wireWords(0x12345678, name))).toBe(0x12345678)
      })

      it(`writes back what it reads, laid out ${name}`, () => {
        for (const type of ['float32', 'int32', 'uint32'] as const) {
          const f = format({ type, wordOrder, byteOrder })
          const value = type === 'float32' ? -0.5 : type === 'int32' ? -2 : 305419896
          const encoded = encodeRegister(f, value)
          if (!encoded.ok || encoded.value.kind !== 'words') throw new Error('expected words')
          expect(decodeRegister(f, encoded.value.words)).toBe(value)
        }
      })
    }

    it('uses the published example layouts for float32 123.456', () => {
      expect(wireWords(0x42f6e979, 'ABCD')).toEqual([0x42f6, 0xe979])
      expect(wireWords(0x42f6e979, 'CDAB')).toEqual([0xe979, 0x42f6])
      expect(wireWords(0x42f6e979, 'BADC')).toEqual([0xf642, 0x79e9])
      expect(wireWords(0x42f6e979, 'DCBA')).toEqual([0x79e9, 0xf642])
    })

    it('reads int32 -1 and the int32 extremes', () => {
      const f = format({ type: 'int32' })
      expect(decodeRegister(f, [0xffff, 0xffff])).toBe(-1)
      expect(decodeRegister(f, [0x8000, 0x0000])).toBe(-2147483648)
      expect(decodeRegister(f, [0x7fff, 0xffff])).toBe(2147483647)
    })

    it('gives float32 values as their shortest decimal', () => {
      expect(decodeRegister(format({ type: 'float32' }), [0x3dcc, 0xcccd])).toBe(0.1)
      expect(decodeRegister(format({ type: 'float32' }), [0xc2c8, 0x0000])).toBe(-100)
    })

    it('passes a float32 NaN through for the caller to reject', () => {
      expect(decodeRegister(format({ type: 'float32' }), [0x7fc0, 0x0000])).toBeNaN()
    })

    it('scales 32-bit values too', () => {
      expect(decodeRegister(format({ type: 'uint32', scale: 0.01 }), [0x0001, 0x0000])).toBe(655.36)
    })
  })

  describe('bits', () => {
    it('reads coils and discrete inputs as booleans whatever their type says', () => {
      expect(decodeRegister(format({ function: 'coil' }), [true])).toBe(true)
      expect(decodeRegister(format({ function: 'discrete', type: 'uint16' }), [false])).toBe(false)
    })

    it('spans one address for bits, one register for 16-bit and two for 32-bit types', () => {
      const spans = (['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32'] as const).map((type) => [
        registerSpan({ function: 'coil', type }),
        registerSpan({ function: 'holding', type }),
      ])
      expect(spans).toEqual([
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 2],
        [1, 2],
        [1, 2],
      ])
    })
  })

  describe('encoding writes', () => {
    const coil: RegisterFormat = format({ function: 'coil', type: 'bool' })

    it('writes a coil from true/false or 1/0', () => {
      expect(encodeRegister(coil, true)).toEqual({ ok: true, value: { kind: 'bit', bit: true } })
      expect(encodeRegister(coil, 0)).toEqual({ ok: true, value: { kind: 'bit', bit: false } })
      expect(encodeRegister(coil, 'on').ok).toBe(false)
    })

    it('writes int16 -1 as 0xFFFF and uint16 65535 as 0xFFFF', () => {
      expect(encodeRegister(format({ type: 'int16' }), -1)).toEqual({
        ok: true,
        value: { kind: 'words', words: [0xffff] },
      })
      expect(encodeRegister(format({ type: 'uint16' }), 65535)).toEqual({
        ok: true,
        value: { kind: 'words', words: [0xffff] },
      })
    })

    it('undoes scale and offset, rounding to the register integer', () => {
      const f = format({ type: 'int16', scale: 0.1, offset: 0 })
      expect(encodeRegister(f, 12.34)).toEqual({ ok: true, value: { kind: 'words', words: [123] } })
    })

    it('writes float32 123.456 in CDAB order', () => {
      const f = format({ type: 'float32', wordOrder: 'little' })
      expect(encodeRegister(f, 123.456)).toEqual({ ok: true, value: { kind: 'words', words: [0xe979, 0x42f6] } })
    })

    it('refuses values that do not fit the type', () => {
      expect(encodeRegister(format({ type: 'uint16' }), -1).ok).toBe(false)
      expect(encodeRegister(format({ type: 'int16' }), 40000).ok).toBe(false)
      expect(encodeRegister(format({ type: 'uint32' }), 2 ** 32).ok).toBe(false)
      expect(encodeRegister(format({ type: 'float32' }), 1e39).ok).toBe(false)
      expect(encodeRegister(format({ type: 'uint16' }), Number.NaN).ok).toBe(false)
      expect(encodeRegister(format({ type: 'uint16', scale: 0 }), 1).ok).toBe(false)
    })

    it('refuses to write read-only functions', () => {
      const input: Pick<RegisterConfig, 'function'> = { function: 'input' }
      expect(encodeRegister(format(input), 1).ok).toBe(false)
      expect(encodeRegister(format({ function: 'discrete' }), true).ok).toBe(false)
    })
  })
})
