import { describe, expect, it } from 'vitest'
import { createAlarmFloodDetector } from './alarmFloodDetector.js'

describe('alarm flood detector', () => {
  it('nine alarms in ten minutes are no flood', () => {
    const d = createAlarmFloodDetector({ floodCount: 10, floodWindowSec: 600 })
    for (let i = 0; i < 9; i++) expect(d.raised('device_fault', i * 1000)).toBeNull()
  })

  it('the tenth alarm in ten minutes starts one flood, summarised by kind', () => {
    const d = createAlarmFloodDetector({ floodCount: 10, floodWindowSec: 600 })
    for (let i = 0; i < 9; i++) d.raised(i < 6 ? 'device_fault' : 'flood', i * 1000)
    const summary = d.raised('fire', 9000)
    expect(summary).toMatchObject({ type: 'alarm_flood', action: 'started', count: 10, windowSec: 600 })
    expect(summary?.byKind).toEqual({ device_fault: 6, flood: 3, fire: 1 })
    expect(d.raised('fire', 10_000)).toBeNull()
  })

  it('alarms spread over more than the window never flood', () => {
    const d = createAlarmFloodDetector({ floodCount: 10, floodWindowSec: 600 })
    // one every 70 s: at most nine fit in ten minutes
    for (let i = 0; i < 30; i++) expect(d.raised('device_fault', i * 70_000)).toBeNull()
  })

  it('the flood ends once the window holds fewer alarms, and can start again', () => {
    const d = createAlarmFloodDetector({ floodCount: 3, floodWindowSec: 60 })
    d.raised('x', 0)
    d.raised('x', 1000)
    expect(d.raised('x', 2000)?.action).toBe('started')
    expect(d.tick(30_000)).toBeNull()
    expect(d.tick(61_500)?.action).toBe('ended')
    expect(d.tick(62_000)).toBeNull()
    d.raised('x', 100_000)
    d.raised('x', 100_500)
    expect(d.raised('x', 101_000)?.action).toBe('started')
  })
})
