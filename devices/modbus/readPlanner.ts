import type { RegisterConfig } from './modbusSchema.js'
import { isBitFunction, type RegisterFunction, registerSpan } from './registerCodec.js'

/**
 * Groups a device's registers into as few read requests as the map allows
 * (docs/requirements.md#modbus: "contiguous registers are read in as few requests as the map
 * allows"). Every request is a bus turn on a half-duplex RS-485 line, so
 * fewer, larger reads poll a store's devices faster (docs/requirements.md#modbus).
 */

/** Modbus Application Protocol V1.1b3 §6.3/§6.4: at most 125 registers per read. */
export const MAX_REGISTERS_PER_READ = 125
/** Modbus Application Protocol V1.1b3 §6.1/§6.2: at most 2000 coils or inputs per read. */
export const MAX_BITS_PER_READ = 2000
/**
 * Unused addresses a read may span to save a request. Reading 8 extra
 * registers costs 16 bytes (about 17 ms at 9600 baud), less than a request's
 * own overhead and the inter-request gap.
 */
export const DEFAULT_MAX_GAP = 8

/** One read request and the registers it carries. */
export interface ReadRequest {
  readonly function: RegisterFunction
  /** First protocol address read (zero-based). */
  readonly address: number
  /** Bits (coil/discrete) or 16-bit registers (holding/input) read. */
  readonly count: number
  readonly registers: readonly RegisterConfig[]
}

export interface PlanOptions {
  /** Unused addresses a request may read through; 0 reads only mapped addresses. Default {@link DEFAULT_MAX_GAP}. */
  readonly maxGap?: number
}

const FUNCTION_ORDER: readonly RegisterFunction[] = ['coil', 'discrete', 'holding', 'input']

/** The requests that read every register, ordered by function then address. */
export function planReads(registers: readonly RegisterConfig[], options: PlanOptions = {}): ReadRequest[] {
  const maxGap = options.maxGap ?? DEFAULT_MAX_GAP
  return FUNCTION_ORDER.flatMap((fn) =>
    planFunction(
      registers.filter((r) => r.function === fn),
      fn,
      maxGap,
    ),
  )
}

function planFunction(registers: readonly RegisterConfig[], fn: RegisterFunction, maxGap: number): ReadRequest[] {
  const limit = isBitFunction(fn) ? MAX_BITS_PER_READ : MAX_REGISTERS_PER_READ
  const sorted = [...registers].sort((a, b) => a.address - b.address || registerSpan(b) - registerSpan(a))
  const requests: ReadRequest[] = []
  let current: { address: number; end: number; registers: RegisterConfig[] } | undefined
  for (const register of sorted) {
    const end = register.address + registerSpan(register)
    const fits =
      current !== undefined &&
      register.address - current.end <= maxGap &&
      Math.max(current.end, end) - current.address <= limit
    if (current !== undefined && fits) {
      current.end = Math.max(current.end, end)
      current.registers.push(register)
      continue
    }
    if (current) requests.push(toRequest(fn, current))
    current = { address: register.address, end, registers: [register] }
  }
  if (current) requests.push(toRequest(fn, current))
  return requests
}

function toRequest(fn: RegisterFunction, group: { address: number; end: number; registers: RegisterConfig[] }) {
  return { function: fn, address: group.address, count: group.end - group.address, registers: group.registers }
}

/** The slice of a request's data that belongs to one register it carries. */
export function sliceFor<T>(request: ReadRequest, data: readonly T[], register: RegisterConfig): T[] {
  const start = register.address - request.address
  return data.slice(start, start + registerSpan(register))
}
