import { describe, expect, it } from 'vitest'
import { outOfRange } from './valueRange.js'

describe('the values a device can really send', () => {
  it('takes values inside a metric range, bounds included', () => {
    expect(outOfRange('smoke', 'battery', 0)).toBeNull()
    expect(outOfRange('smoke', 'battery', 100)).toBeNull()
    expect(outOfRange('temperature', 'humidity', 55.5)).toBeNull()
    expect(outOfRange('smoke', 'linkquality', 300)).toBeNull()
  })

  it('names the bound a value breaks', () => {
    expect(outOfRange('smoke', 'battery', 101)).toBe('battery 101 is above 100')
    expect(outOfRange('power', 'battery_pct', -1)).toBe('battery_pct -1 is below 0')
    expect(outOfRange('queue', 'waiting', -3)).toBe('waiting -3 is below 0')
    expect(outOfRange('temperature', 'temperature', -300)).toBe('temperature -300 is below -273.15')
  })

  it('never bounds what is alarming rather than impossible: a heat detector at 300 °C is a fire', () => {
    expect(outOfRange('heat', 'temperature', 300)).toBeNull()
    expect(outOfRange('water_level', 'level_cm', 500)).toBeNull()
  })

  it('rejects a number that is not finite on any metric, known or not', () => {
    expect(outOfRange('queue', 'waiting', Number.POSITIVE_INFINITY)).toBe('waiting is not finite')
    expect(outOfRange('door', 'whatever', Number.NaN)).toBe('whatever is not finite')
  })

  it('leaves metrics the type does not define, and Object.prototype names, to the adapters', () => {
    expect(outOfRange('door', 'whatever', -5)).toBeNull()
    expect(outOfRange('door', 'constructor', -5)).toBeNull()
  })
})
