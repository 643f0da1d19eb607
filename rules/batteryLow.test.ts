import { describe, expect, it } from 'vitest'
import type { ReadingValue } from '../gateway/core/reading.js'
import { BATTERY_FORMS, type BatteryThresholds, isBatteryForm, lowBattery } from './batteryLow.js'

const COIN_CELL: BatteryThresholds = { lowPct: 15, lowMv: 2700 }

/** Judges a device whose last report was `reported`. */
const judge = (reported: Record<string, ReadingValue>, thresholds: BatteryThresholds = COIN_CELL) =>
  lowBattery((form) => reported[form], thresholds)

describe('is this battery low?', () => {
  it('a charge under the threshold is low; at the threshold it is not', () => {
    expect(judge({ battery: 14 })).toEqual({ form: 'battery', value: 14 })
    expect(judge({ battery: 15 })).toBeUndefined()
    expect(judge({ battery: 60 }, { lowPct: 70, lowMv: undefined })).toEqual({ form: 'battery', value: 60 })
  })

  it("zigbee2mqtt's battery_low flag is low when true", () => {
    expect(judge({ battery_low: true })).toEqual({ form: 'battery_low', value: true })
    expect(judge({ battery_low: false })).toBeUndefined()
  })

  it('a Tuya battery_state of "low" is low, however it is capitalised; medium and high are not', () => {
    expect(judge({ battery_state: 'low' })).toEqual({ form: 'battery_state', value: 'low' })
    expect(judge({ battery_state: 'LOW' })).toEqual({ form: 'battery_state', value: 'LOW' })
    expect(judge({ battery_state: ' Low ' })).toEqual({ form: 'battery_state', value: ' Low ' })
    expect(judge({ battery_state: 'medium' })).toBeUndefined()
    expect(judge({ battery_state: 'high' })).toBeUndefined()
    expect(judge({ battery_state: '' })).toBeUndefined()
  })

  it('a voltage under the threshold (mV) is low; at the threshold it is not', () => {
    expect(judge({ voltage: 2699 })).toEqual({ form: 'voltage', value: 2699 })
    expect(judge({ voltage: 2700 })).toBeUndefined()
    expect(judge({ voltage: 7400 }, { lowPct: 15, lowMv: 7500 })).toEqual({ form: 'voltage', value: 7400 })
  })

  it('a voltage is never judged where no voltage threshold applies (mains devices)', () => {
    expect(judge({ voltage: 220 }, { lowPct: 15, lowMv: undefined })).toBeUndefined()
  })

  it('a value of the wrong kind says nothing: "true" is not a flag, "10" is not a charge', () => {
    expect(judge({ battery_low: 'true', battery: '10', voltage: '2000', battery_state: 0 })).toBeUndefined()
  })

  it('any one form saying low is enough: an optimistic charge does not outvote the flag', () => {
    expect(judge({ battery: 90, battery_low: true, battery_state: 'high', voltage: 3000 })).toEqual({
      form: 'battery_low',
      value: true,
    })
    expect(judge({ battery: 90, battery_low: false, battery_state: 'high', voltage: 3000 })).toBeUndefined()
  })

  it('knows every battery metric, and nothing else', () => {
    expect(BATTERY_FORMS).toEqual(['battery', 'battery_low', 'battery_state', 'voltage'])
    expect(BATTERY_FORMS.every(isBatteryForm)).toBe(true)
    expect(isBatteryForm('tamper')).toBe(false)
    expect(isBatteryForm('toString')).toBe(false)
  })
})
