import { describe, expect, it } from 'vitest'
import { DEVICE_TYPES, type DeviceType } from '../../gateway/core/reading.js'
import { DEVICE_TYPE_DEFINITIONS } from './registry.js'

const entries = Object.entries(DEVICE_TYPE_DEFINITIONS) as [DeviceType, (typeof DEVICE_TYPE_DEFINITIONS)[DeviceType]][]
const TICKS = Array.from({ length: 25 }, (_, i) => i)

describe('the device type registry', () => {
  it('has exactly one definition for every device type', () => {
    expect(Object.keys(DEVICE_TYPE_DEFINITIONS).sort()).toEqual([...DEVICE_TYPES].sort())
  })

  it.each(entries)('files the %s definition under its own type', (key, definition) => {
    expect(definition.type).toBe(key)
  })

  it.each(entries)('gives %s a positive heartbeat and at least one metric', (_key, definition) => {
    expect(definition.heartbeatSec).toBeGreaterThan(0)
    expect(Object.keys(definition.metrics).length).toBeGreaterThan(0)
  })

  it('holds life-safety sensors to tighter heartbeats than comfort and contact sensors (supervision)', () => {
    const heartbeat = (type: DeviceType) => DEVICE_TYPE_DEFINITIONS[type].heartbeatSec
    const lifeSafety: DeviceType[] = ['smoke', 'heat', 'panic_button']
    // comfort and contact sensors, and the outputs, which report on change and otherwise rarely
    const comfort: DeviceType[] = ['temperature', 'door', 'leak', 'siren', 'strobe']
    for (const safety of lifeSafety) {
      for (const other of comfort) {
        expect(
          heartbeat(safety),
          `${safety} (${heartbeat(safety)} s) vs ${other} (${heartbeat(other)} s)`,
        ).toBeLessThan(heartbeat(other))
      }
    }
  })

  it.each(entries)(
    'simulates a normal %s with only the metrics it declares, of the declared kind',
    (_key, definition) => {
      for (const tick of TICKS) {
        const report = definition.simulateNormal(tick)
        expect(Object.keys(report).length, `tick ${tick}`).toBeGreaterThan(0)
        for (const [metric, value] of Object.entries(report)) {
          const declared = Object.hasOwn(definition.metrics, metric) ? definition.metrics[metric] : undefined
          expect(declared, `${metric} is not a declared metric`).toBeDefined()
          expect(typeof value, `${metric} at tick ${tick}`).toBe(declared?.kind)
          if (typeof value === 'number') expect(Number.isFinite(value), `${metric} at tick ${tick}`).toBe(true)
        }
      }
    },
  )
})
