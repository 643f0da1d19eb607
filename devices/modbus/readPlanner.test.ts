import { describe, expect, it } from 'vitest'
import type { RegisterConfig } from './modbusSchema.js'
import { MAX_BITS_PER_READ, MAX_REGISTERS_PER_READ, planReads, sliceFor } from './readPlanner.js'

function reg(
  metric: string,
  fn: RegisterConfig['function'],
  address: number,
  type: RegisterConfig['type'] = 'uint16',
): RegisterConfig {
  return {
    metric,
    function: fn,
    address,
    type,
    wordOrder: 'big',
    byteOrder: 'big',
    scale: 1,
    offset: 0,
    writable: false,
  }
}

const shape = (plan: ReturnType<typeof planReads>) =>
  plan.map((r) => ({ fn: r.function, address: r.address, count: r.count, metrics: r.registers.map((x) => x.metric) }))

describe('planReads', () => {
  it('reads contiguous holding registers in one request', () => {
    const plan = planReads([reg('a', 'holding', 0), reg('b', 'holding', 1), reg('c', 'holding', 2, 'float32')])
    expect(shape(plan)).toEqual([{ fn: 'holding', address: 0, count: 4, metrics: ['a', 'b', 'c'] }])
  })

  it('never mixes functions in one request', () => {
    const plan = planReads([reg('h', 'holding', 0), reg('i', 'input', 1), reg('c', 'coil', 0), reg('d', 'discrete', 0)])
    expect(shape(plan).map((r) => r.fn)).toEqual(['coil', 'discrete', 'holding', 'input'])
  })

  it('reads through a gap of up to 8 unused addresses', () => {
    const plan = planReads([reg('a', 'holding', 0), reg('b', 'holding', 9)])
    expect(shape(plan)).toEqual([{ fn: 'holding', address: 0, count: 10, metrics: ['a', 'b'] }])
  })

  it('splits at a gap of more than 8 unused addresses', () => {
    const plan = planReads([reg('a', 'holding', 0), reg('b', 'holding', 10)])
    expect(shape(plan).map((r) => [r.address, r.count])).toEqual([
      [0, 1],
      [10, 1],
    ])
  })

  it('reads only mapped addresses when maxGap is 0', () => {
    const plan = planReads([reg('a', 'holding', 0), reg('b', 'holding', 2), reg('c', 'holding', 3)], { maxGap: 0 })
    expect(shape(plan).map((r) => [r.address, r.count])).toEqual([
      [0, 1],
      [2, 2],
    ])
  })

  it('sorts registers by address whatever order the map lists them in', () => {
    const plan = planReads([reg('b', 'input', 5), reg('a', 'input', 3)])
    expect(shape(plan)).toEqual([{ fn: 'input', address: 3, count: 3, metrics: ['a', 'b'] }])
  })

  it('counts a 32-bit value as two registers when placing the next one', () => {
    const plan = planReads([reg('f', 'holding', 0, 'float32'), reg('g', 'holding', 2, 'int32')], { maxGap: 0 })
    expect(shape(plan)).toEqual([{ fn: 'holding', address: 0, count: 4, metrics: ['f', 'g'] }])
  })

  it('reads two metrics on the same address in one request', () => {
    const plan = planReads([reg('raw', 'holding', 4), reg('signed', 'holding', 4, 'int16')])
    expect(shape(plan)).toEqual([{ fn: 'holding', address: 4, count: 1, metrics: ['raw', 'signed'] }])
  })

  it('keeps register reads within 125 registers', () => {
    const many = Array.from({ length: 200 }, (_, i) => reg(`m${i}`, 'holding', i))
    const plan = planReads(many)
    expect(plan.map((r) => r.count)).toEqual([MAX_REGISTERS_PER_READ, 200 - MAX_REGISTERS_PER_READ])
    expect(plan.flatMap((r) => r.registers)).toHaveLength(200)
  })

  it('does not split a 32-bit value across the 125-register limit', () => {
    const many = [
      ...Array.from({ length: 124 }, (_, i) => reg(`m${i}`, 'holding', i)),
      reg('f', 'holding', 124, 'float32'),
    ]
    const plan = planReads(many)
    expect(plan.map((r) => [r.address, r.count])).toEqual([
      [0, 124],
      [124, 2],
    ])
  })

  it('keeps bit reads within 2000 bits', () => {
    const plan = planReads([reg('a', 'coil', 0), reg('b', 'coil', 1999), reg('c', 'coil', 2000)], { maxGap: 3000 })
    expect(plan.map((r) => [r.address, r.count])).toEqual([
      [0, MAX_BITS_PER_READ],
      [2000, 1],
    ])
  })

  it('plans nothing for no registers', () => {
    expect(planReads([])).toEqual([])
  })

  it('slices each register its own words out of a request', () => {
    const [request] = planReads([reg('a', 'holding', 10), reg('f', 'holding', 12, 'float32')])
    if (!request) throw new Error('expected a request')
    const data = [1, 2, 3, 4]
    expect(sliceFor(request, data, reg('a', 'holding', 10))).toEqual([1])
    expect(sliceFor(request, data, reg('f', 'holding', 12, 'float32'))).toEqual([3, 4])
  })
})
