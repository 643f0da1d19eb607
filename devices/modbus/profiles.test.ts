import { describe, expect, it } from 'vitest'
import { isStoreGuardError } from '../../gateway/core/errors.js'
import type { RegisterConfig } from './modbusSchema.js'
import { loadProfiles, parseProfile, resolveRegisters } from './profiles.js'

const inline = (metric: string, address: number): RegisterConfig => ({
  metric,
  function: 'holding',
  address,
  type: 'uint16',
  wordOrder: 'big',
  byteOrder: 'big',
  scale: 1,
  offset: 0,
  writable: false,
})

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('Modbus profiles', () => {
  const profiles = loadProfiles()

  it('ships the water-level and UPS profiles, valid against the register schema', () => {
    expect([...profiles.keys()]).toEqual(expect.arrayContaining(['water-level-4-20ma', 'ups-modbus']))
  })

  it('reads the water level in mm from holding register 0 as level_cm', () => {
    expect(profiles.get('water-level-4-20ma')).toEqual([
      {
        metric: 'level_cm',
        function: 'holding',
        address: 0,
        type: 'int16',
        scale: 0.1,
        offset: 0,
        unit: 'cm',
        wordOrder: 'big',
        byteOrder: 'big',
        writable: false,
      },
    ])
  })

  it('maps the UPS status bits to discrete inputs and its values to holding registers', () => {
    const ups = profiles.get('ups-modbus') ?? []
    expect(ups.map((r) => [r.metric, r.function, r.address, r.type])).toEqual([
      ['mains_ok', 'discrete', 0, 'bool'],
      ['on_battery', 'discrete', 1, 'bool'],
      ['battery_pct', 'holding', 0, 'uint16'],
      ['runtime_min', 'holding', 1, 'uint16'],
    ])
  })

  it('maps a queue system to three contiguous holding registers, the wait in tenths of a minute (docs/requirements.md#queue)', () => {
    const queue = profiles.get('queue-modbus') ?? []
    expect(queue.map((r) => [r.metric, r.function, r.address, r.type, r.scale])).toEqual([
      ['waiting', 'holding', 0, 'uint16', 1],
      ['wait_min', 'holding', 1, 'uint16', 0.1],
      ['counters_open', 'holding', 2, 'uint16', 1],
    ])
  })

  it('lets an inline register replace the profile register for the same metric', () => {
    const registers = resolveRegisters(
      {
        id: 'ups-1',
        modbus: { profile: 'ups-modbus', registers: [inline('battery_pct', 40), inline('load_pct', 41)] },
      },
      profiles,
    )
    expect(registers.map((r) => [r.metric, r.address])).toEqual([
      ['mains_ok', 0],
      ['on_battery', 1],
      ['runtime_min', 1],
      ['battery_pct', 40],
      ['load_pct', 41],
    ])
  })

  it('uses inline registers alone when a device names no profile', () => {
    const registers = resolveRegisters({ id: 'x', modbus: { registers: [inline('a', 1)] } }, profiles)
    expect(registers.map((r) => r.metric)).toEqual(['a'])
  })

  it('names the profile and the device when a profile is unknown', () => {
    const err = thrown(() =>
      resolveRegisters({ id: 'basement-level', modbus: { profile: 'nope', registers: [] } }, profiles),
    )
    expect(isStoreGuardError(err, 'config_invalid')).toBe(true)
    expect((err as Error).message).toContain('basement-level')
    expect((err as Error).message).toContain('"nope"')
  })

  it('rejects a profile that does not match the register schema', () => {
    const err = thrown(() => parseProfile('bad', 'registers:\n  - metric: x\n    function: holdings\n    address: 0\n'))
    expect(isStoreGuardError(err, 'config_invalid')).toBe(true)
    expect((err as Error).message).toMatch(/^Modbus profile bad: .*function/)
  })

  it('rejects a profile that maps one metric twice', () => {
    const text =
      'registers:\n  - { metric: x, function: holding, address: 0 }\n  - { metric: x, function: holding, address: 1 }\n'
    expect((thrown(() => parseProfile('twice', text)) as Error).message).toContain('mapped twice')
  })
})
