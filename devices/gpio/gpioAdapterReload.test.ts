import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import type { Reading } from '../../gateway/core/reading.js'
import { manualTime } from '../../test/support/manualTime.js'
import type { CommStatus } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createGpioAdapter } from './gpioAdapter.js'
import { createSimulatedGpioDriver, simulateInput } from './simulatedGpio.js'

const input = (id: string, type: DeviceConfig['type'], line: number): DeviceConfig => ({
  id,
  type,
  zone: 'counter',
  mqtt: {},
  gpio: { direction: 'in', line, activeLow: true, bias: 'pull-up', wiring: 'no', debounceMs: 0 },
})
const PANIC = input('panic-1', 'panic_button', 17)
const LEAK = input('leak-1', 'leak', 22)
const SIREN: DeviceConfig = {
  id: 'siren-1',
  type: 'siren',
  zone: 'hall',
  mqtt: {},
  gpio: { direction: 'out', line: 24, activeLow: false, bias: 'as-is', wiring: 'no', debounceMs: 0 },
}

/** An adapter over in-memory lines that know every device the test may add. */
function setup(devices: readonly DeviceConfig[]) {
  const time = manualTime()
  const driver = createSimulatedGpioDriver([PANIC, LEAK, SIREN])
  const readings: Reading[] = []
  const comm: [string, CommStatus][] = []
  const adapter = createGpioAdapter({
    store: 'store-7',
    config: { driver: 'simulated', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
    devices,
    output: { reading: (r) => readings.push(r), rejected: () => undefined, commStatus: (id, s) => comm.push([id, s]) },
    clock: time.clock,
    timers: time.timers,
    log: pino({ level: 'silent' }),
    driver,
  })
  const values = (id: string) => readings.filter((r) => r.deviceId === id).map((r) => r.value)
  return { adapter, driver, time, comm, values }
}

describe('the GPIO adapter on a reload', () => {
  it('claims an added input and releases a removed one, leaving the other lines alone', async () => {
    const { adapter, driver, time, comm, values } = setup([PANIC, SIREN])
    await adapter.start()
    await adapter.write?.('siren-1', 'on', true)
    await adapter.reload?.([SIREN, LEAK])
    expect(driver.isOpen(17)).toBe(false)
    expect(driver.isOpen(22)).toBe(true)
    // the siren's line was neither released nor written again
    expect(driver.writes(24)).toEqual([false, true])
    expect(values('leak-1')).toEqual([false])
    simulateInput(driver, PANIC as Parameters<typeof simulateInput>[1], true)
    simulateInput(driver, LEAK as Parameters<typeof simulateInput>[1], true)
    time.advance(10)
    expect(values('panic-1')).toEqual([false])
    expect(values('leak-1')).toEqual([false, true])
    expect(comm.filter(([, s]) => !s.ok)).toEqual([])
    await adapter.stop()
  })

  it('starts reading when a reload brings the first GPIO device', async () => {
    const { adapter, driver, values } = setup([])
    await adapter.start()
    await adapter.reload?.([PANIC])
    expect(driver.isOpen(17)).toBe(true)
    expect(values('panic-1')).toEqual([false])
    await adapter.stop()
    expect(driver.isOpen(17)).toBe(false)
  })
})
