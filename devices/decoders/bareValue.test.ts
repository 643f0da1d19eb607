import { describe, expect, it } from 'vitest'
import type { ReadingValue } from '../../gateway/core/reading.js'
import { decodeBareValue } from './bareValue.js'

/** The single value a bare payload decodes to, or the reject reason. */
function decoded(text: string, metric = 'smoke'): ReadingValue | { rejected: string } {
  const result = decodeBareValue(Buffer.from(text, 'utf8'), metric)
  if (!result.ok) return { rejected: result.reason }
  expect(result.metrics).toHaveLength(1)
  expect(result.metrics[0]?.metric).toBe(metric)
  return result.metrics[0]?.value ?? { rejected: 'no metric' }
}

describe('bare values on a per-metric topic', () => {
  it('reads true and false as booleans, in any case', () => {
    expect(decoded('true')).toBe(true)
    expect(decoded('TRUE')).toBe(true)
    expect(decoded('false')).toBe(false)
    expect(decoded('False')).toBe(false)
  })

  it('reads ON and OFF (as Tasmota and zigbee2mqtt switches send) as booleans', () => {
    expect(decoded('ON')).toBe(true)
    expect(decoded('on')).toBe(true)
    expect(decoded('OFF')).toBe(false)
    expect(decoded('off')).toBe(false)
  })

  it('reads integers, decimals, negatives and exponents as numbers', () => {
    expect(decoded('87', 'battery')).toBe(87)
    expect(decoded('0', 'battery')).toBe(0)
    expect(decoded('23.5', 'temperature')).toBe(23.5)
    expect(decoded('-4.25', 'temperature')).toBe(-4.25)
    expect(decoded('.5', 'level_cm')).toBe(0.5)
    expect(decoded('1e3', 'voltage')).toBe(1000)
  })

  it('ignores surrounding whitespace and a trailing newline', () => {
    expect(decoded('  42\n', 'battery')).toBe(42)
    expect(decoded('\ttrue \r\n')).toBe(true)
  })

  it('keeps other text as a string, and unquotes a JSON-style quoted string', () => {
    expect(decoded('degraded', 'status')).toBe('degraded')
    expect(decoded('"emergency"', 'action')).toBe('emergency')
    expect(decoded('12abc', 'status')).toBe('12abc')
    expect(decoded('0x10', 'status')).toBe('0x10')
  })

  it('rejects an empty or blank payload as empty', () => {
    expect(decoded('')).toEqual({ rejected: 'empty' })
    expect(decoded('   \n')).toEqual({ rejected: 'empty' })
  })

  it('rejects a number too large to be finite as out_of_range, rather than reading Infinity', () => {
    expect(decoded('1e999')).toEqual({ rejected: 'out_of_range' })
    expect(decoded('-1e999')).toEqual({ rejected: 'out_of_range' })
  })
})
