import type { RegisterConfig } from '../../devices/modbus/modbusSchema.js'
import type { ModbusSimulator } from '../../devices/modbus/sim/simControls.js'
import type { DeviceConfig } from '../../gateway/config/schema.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import { modbusDevice, register } from './modbusConfig.js'
import type { RecordingOutput } from './recordingOutput.js'

/**
 * Known wire vectors for every Modbus data type and word / byte order
 * (Modbus leaves 32-bit order to the vendor: ABCD, CDAB, BADC, DCBA), and for
 * booleans from every function, spread over three simulated temperature
 * probes so one table serves the TCP and the RTU tests alike.
 */

/** Each probe's five numeric metrics, alternately in holding and input registers. */
const NUMERIC_METRICS = ['temperature', 'humidity', 'battery', 'linkquality', 'voltage'] as const

const NUMERIC_CASES = [
  { type: 'int16', order: 'AB', words: [0xffff], value: -1 },
  { type: 'uint16', order: 'AB', words: [0xffff], value: 65535 },
  { type: 'int16', order: 'BA', words: [0xfeff], value: -2 },
  { type: 'int32', order: 'ABCD', words: [0xf8a4, 0x32eb], value: -123456789 },
  { type: 'int32', order: 'CDAB', words: [0x32eb, 0xf8a4], value: -123456789 },
  { type: 'int32', order: 'BADC', words: [0xa4f8, 0xeb32], value: -123456789 },
  { type: 'int32', order: 'DCBA', words: [0xeb32, 0xa4f8], value: -123456789 },
  { type: 'uint32', order: 'ABCD', words: [0x1234, 0x5678], value: 0x12345678 },
  { type: 'uint32', order: 'CDAB', words: [0x5678, 0x1234], value: 0x12345678 },
  { type: 'uint32', order: 'BADC', words: [0x3412, 0x7856], value: 0x12345678 },
  { type: 'uint32', order: 'DCBA', words: [0x7856, 0x3412], value: 0x12345678 },
  { type: 'float32', order: 'ABCD', words: [0x42f6, 0xe979], value: 123.456 },
  { type: 'float32', order: 'CDAB', words: [0xe979, 0x42f6], value: 123.456 },
  { type: 'float32', order: 'BADC', words: [0xf642, 0x79e9], value: 123.456 },
  { type: 'float32', order: 'DCBA', words: [0x79e9, 0xf642], value: 123.456 },
] as const

/** Per probe, its two boolean metrics: from a bit (coil / discrete input) and from a register (non-zero = true). */
const BOOL_CASES = [
  { tamper: { fn: 'coil', raw: true }, battery_low: { fn: 'holding', raw: 7 } },
  { tamper: { fn: 'discrete', raw: true }, battery_low: { fn: 'input', raw: 0x8000 } },
  { tamper: { fn: 'discrete', raw: false }, battery_low: { fn: 'input', raw: 0 } },
] as const

type BoolMetric = keyof (typeof BOOL_CASES)[number]

export interface DecodeVectors {
  /** The probes to simulate, unit ids 1-3. */
  readonly specs: readonly { readonly unitId: number; readonly registers: readonly RegisterConfig[] }[]
  /** The probes' device configs on `bus`, ids t1-t3. */
  devices(bus: string): DeviceConfig[]
  /** What each `<deviceId>.<metric>` must decode to. */
  readonly expected: Readonly<Record<string, ReadingValue>>
  /** Puts the raw wire values into the simulated probes, past the codec. */
  load(sim: ModbusSimulator): void
  /** Each expected key's latest decoded value in `output` (undefined until read). */
  seen(output: RecordingOutput): Record<string, ReadingValue | undefined>
}

export function decodeVectors(): DecodeVectors {
  const expected: Record<string, ReadingValue> = {}
  const raw: { unitId: number; metric: string; values: readonly boolean[] | readonly number[] }[] = []
  const specs = BOOL_CASES.map((bools, u) => {
    const unitId = u + 1
    const registers = NUMERIC_METRICS.map((metric, i) => {
      const c = NUMERIC_CASES[u * NUMERIC_METRICS.length + i] as (typeof NUMERIC_CASES)[number]
      expected[`t${unitId}.${metric}`] = c.value
      raw.push({ unitId, metric, values: c.words })
      return register(metric, i % 2 === 0 ? 'holding' : 'input', i * 2, { type: c.type, ...orders(c.order) })
    })
    for (const [metric, c] of Object.entries(bools) as [BoolMetric, (typeof bools)[BoolMetric]][]) {
      const address = metric === 'tamper' ? 3 : 20
      registers.push(register(metric, c.fn, address, { type: 'bool' }))
      expected[`t${unitId}.${metric}`] = typeof c.raw === 'boolean' ? c.raw : c.raw !== 0
      raw.push({ unitId, metric, values: [c.raw] as boolean[] | number[] })
    }
    return { unitId, registers }
  })
  return {
    specs,
    devices: (bus) =>
      specs.map((s) => modbusDevice(`t${s.unitId}`, 'temperature', { bus, unitId: s.unitId, registers: s.registers })),
    expected,
    load(sim) {
      for (const r of raw) sim.device(r.unitId).setRaw(r.metric, r.values)
    },
    seen: (output) =>
      Object.fromEntries(
        Object.keys(expected).map((k) => [k, output.latest(...(k.split('.') as [string, string]))?.value]),
      ),
  }
}

/** `ABCD` → high word first, high byte first; `BA`/`BADC` swap bytes; `CDAB`/`DCBA` swap words. */
function orders(order: string): Pick<RegisterConfig, 'wordOrder' | 'byteOrder'> {
  return {
    wordOrder: order === 'CDAB' || order === 'DCBA' ? 'little' : 'big',
    byteOrder: order === 'BA' || order === 'BADC' || order === 'DCBA' ? 'little' : 'big',
  }
}
