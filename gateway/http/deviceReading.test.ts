import { describe, expect, it } from 'vitest'
import { deviceReading } from './deviceReading.js'

const at = '2026-01-01T00:00:00.000Z'

describe("a device's reading on the console", () => {
  it("is the type's main measurement with its unit, not the battery reported with it", () => {
    const values = { battery: { value: 90, at }, temperature: { value: 95, at } }
    expect(deviceReading({ type: 'heat', values })).toEqual({ metric: 'temperature', value: 95, unit: '°C', at })
  })

  it('has no unit for a yes/no value, and is null before any reading', () => {
    expect(deviceReading({ type: 'smoke', values: { smoke: { value: true, at } } })).toEqual({
      metric: 'smoke',
      value: true,
      at,
    })
    expect(deviceReading({ type: 'smoke', values: {} })).toBeNull()
  })
})
