import type { DeviceType } from '../../gateway/core/reading.js'
import { DEVICE_TYPE_DEFINITIONS } from '../types/registry.js'
import type { RegisterConfig } from './modbusSchema.js'
import { isBitFunction, registerSpan } from './registerCodec.js'

/**
 * What is wrong with a device's resolved register map, in words (empty when
 * nothing is). Pure, so the config loader can list these with every other
 * problem (docs/design.md#boundaries-never-throw) and the adapter can refuse a map it cannot poll.
 */
export function registerMapProblems(
  device: { readonly id: string; readonly type: DeviceType },
  registers: readonly RegisterConfig[],
): string[] {
  if (registers.length === 0) return [`device ${device.id}: the Modbus register map is empty`]
  const metrics = DEVICE_TYPE_DEFINITIONS[device.type].metrics
  const problems: string[] = []
  const seen = new Set<string>()
  for (const register of registers) {
    const where = `device ${device.id}, Modbus metric ${register.metric}`
    if (seen.has(register.metric)) problems.push(`${where}: mapped twice`)
    seen.add(register.metric)
    const expected = Object.hasOwn(metrics, register.metric) ? metrics[register.metric] : undefined
    if (expected === undefined) {
      problems.push(`${where}: not a metric of a ${device.type} (${Object.keys(metrics).join(', ')})`)
    } else if (expected.kind !== kindOf(register)) {
      problems.push(
        `${where}: a ${device.type} reports it as a ${expected.kind}, the register gives a ${kindOf(register)}`,
      )
    }
    if (register.writable && (register.function === 'discrete' || register.function === 'input')) {
      problems.push(`${where}: a ${register.function} is read-only and cannot be writable`)
    }
    if (register.address + registerSpan(register) > 0x10000) {
      problems.push(`${where}: a ${register.type} at ${register.address} runs past address 65535`)
    }
  }
  return problems
}

function kindOf(register: RegisterConfig): 'boolean' | 'number' {
  return isBitFunction(register.function) || register.type === 'bool' ? 'boolean' : 'number'
}
