import type { ReadingValue } from '../../../gateway/core/reading.js'
import type { RegisterConfig } from '../modbusSchema.js'
import { decodeRegister, encodeWords, isBitFunction, type RegisterFunction, registerSpan } from '../registerCodec.js'

/**
 * The memory of simulated Modbus devices (docs/requirements.md#simulation: "tests drive
 * real protocol paths"): per unit id, the coils, discrete inputs, holding
 * and input registers a register map covers, set by metric through the
 * same codec the adapter decodes with.
 */

/** A simulated device: a unit id on a bus and the register map it serves. */
export interface SimDeviceSpec {
  readonly unitId: number
  readonly registers: readonly RegisterConfig[]
  /** Values to start with, by metric; everything else starts at 0 / false. */
  readonly initial?: Readonly<Record<string, ReadingValue>>
  /**
   * Answer "illegal data address" to a read that covers any address no
   * register maps, as some devices do; by default the unmapped addresses
   * below the highest mapped one read as 0.
   */
  readonly refusesUnmapped?: boolean
}

/** Modbus exception codes the simulator answers with (Modbus Application Protocol §7). */
export const ILLEGAL_FUNCTION = 1
export const ILLEGAL_DATA_ADDRESS = 2
export const ILLEGAL_DATA_VALUE = 3

export type TableResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: number }

export interface SimDevice {
  /** Sets a metric's value, encoded per its register (type, byte/word order, scale, offset). */
  set(metric: string, value: ReadingValue): void
  /** Puts raw bits or words at a metric's address, bypassing the codec (known wire vectors in tests). */
  setRaw(metric: string, raw: readonly boolean[] | readonly number[]): void
  /** A metric's value as the adapter would decode it (e.g. to see that a write arrived). */
  get(metric: string): ReadingValue
}

export interface RegisterTable {
  hasUnit(unitId: number): boolean
  device(unitId: number): SimDevice
  readBits(unitId: number, fn: 'coil' | 'discrete', address: number, count: number): TableResult<boolean[]>
  readWords(unitId: number, fn: 'holding' | 'input', address: number, count: number): TableResult<number[]>
  writeBit(unitId: number, address: number, bit: boolean): TableResult<undefined>
  writeWords(unitId: number, address: number, words: readonly number[]): TableResult<undefined>
}

type Memory = Record<RegisterFunction, (number | boolean)[]>

export function createRegisterTable(specs: readonly SimDeviceSpec[]): RegisterTable {
  const units = new Map<
    number,
    { spec: SimDeviceSpec; memory: Memory; mapped: Record<RegisterFunction, Set<number>> }
  >()
  for (const spec of specs) {
    units.set(spec.unitId, { spec, memory: allocate(spec.registers), mapped: mappedAddresses(spec.registers) })
  }

  function unit(unitId: number) {
    const found = units.get(unitId)
    if (found === undefined) throw new Error(`no simulated device with unit id ${unitId}`)
    return found
  }

  function read<T extends number | boolean>(unitId: number, fn: RegisterFunction, address: number, count: number) {
    const { spec, memory, mapped } = unit(unitId)
    const cells = memory[fn]
    if (address + count > cells.length) return { ok: false as const, code: ILLEGAL_DATA_ADDRESS }
    if (spec.refusesUnmapped && Array.from({ length: count }, (_, i) => address + i).some((a) => !mapped[fn].has(a))) {
      return { ok: false as const, code: ILLEGAL_DATA_ADDRESS }
    }
    return { ok: true as const, value: cells.slice(address, address + count) as T[] }
  }

  function write(unitId: number, fn: RegisterFunction, address: number, values: readonly (number | boolean)[]) {
    const cells = unit(unitId).memory[fn]
    if (address + values.length > cells.length) return { ok: false as const, code: ILLEGAL_DATA_ADDRESS }
    values.forEach((v, i) => {
      cells[address + i] = v
    })
    return { ok: true as const, value: undefined }
  }

  const table: RegisterTable = {
    hasUnit: (unitId) => units.has(unitId),
    device(unitId) {
      const { spec } = unit(unitId)
      const registerOf = (metric: string) => {
        const register = spec.registers.find((r) => r.metric === metric)
        if (register === undefined) throw new Error(`unit ${unitId} has no register for ${metric}`)
        return register
      }
      return {
        set(metric, value) {
          const register = registerOf(metric)
          write(unitId, register.function, register.address, rawValues(register, value))
        },
        setRaw(metric, raw) {
          write(unitId, registerOf(metric).function, registerOf(metric).address, raw)
        },
        get(metric) {
          const register = registerOf(metric)
          const read = unit(unitId).memory[register.function].slice(
            register.address,
            register.address + registerSpan(register),
          )
          return decodeRegister(register, read as boolean[] | number[])
        },
      }
    },
    readBits: (unitId, fn, address, count) => read<boolean>(unitId, fn, address, count),
    readWords: (unitId, fn, address, count) => read<number>(unitId, fn, address, count),
    writeBit: (unitId, address, bit) => write(unitId, 'coil', address, [bit]),
    writeWords: (unitId, address, words) => write(unitId, 'holding', address, words),
  }
  for (const spec of specs) {
    for (const [metric, value] of Object.entries(spec.initial ?? {})) table.device(spec.unitId).set(metric, value)
  }
  return table
}

/** Every function's cells from address 0 to the end of its highest mapped register; beyond is "illegal address". */
function allocate(registers: readonly RegisterConfig[]): Memory {
  const memory: Memory = { coil: [], discrete: [], holding: [], input: [] }
  for (const register of registers) {
    const cells = memory[register.function]
    const zero = isBitFunction(register.function) ? false : 0
    while (cells.length < register.address + registerSpan(register)) cells.push(zero)
  }
  return memory
}

/** Per function, every address some register covers. */
function mappedAddresses(registers: readonly RegisterConfig[]): Record<RegisterFunction, Set<number>> {
  const mapped: Record<RegisterFunction, Set<number>> = {
    coil: new Set(),
    discrete: new Set(),
    holding: new Set(),
    input: new Set(),
  }
  for (const register of registers) {
    for (let i = 0; i < registerSpan(register); i++) mapped[register.function].add(register.address + i)
  }
  return mapped
}

/** The bits or words that hold `value` for `register`; throws when it cannot (a test's mistake). */
function rawValues(register: RegisterConfig, value: ReadingValue): (number | boolean)[] {
  if (isBitFunction(register.function) || register.type === 'bool') {
    if (typeof value !== 'boolean') throw new Error(`${register.metric} takes a boolean`)
    return isBitFunction(register.function) ? [value] : [value ? 1 : 0]
  }
  if (typeof value !== 'number') throw new Error(`${register.metric} takes a number`)
  const words = encodeWords((value - register.offset) / register.scale, register)
  if (words === undefined) throw new Error(`${value} does not fit ${register.metric} (${register.type})`)
  return words
}
