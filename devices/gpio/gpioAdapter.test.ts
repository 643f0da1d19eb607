import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { systemClock } from '../../gateway/core/clock.js'
import type { Reading } from '../../gateway/core/reading.js'
import { type ManualTime, manualTime } from '../../test/support/manualTime.js'
import type { AdapterOutput, CommStatus } from '../adapter.js'
import type { RejectReason } from '../decoders/decodeResult.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createGpioAdapter, type GpioAdapterOptions } from './gpioAdapter.js'
import type { GpioDevice } from './gpioDevice.js'
import type { GpioDeviceConfig } from './gpioSchema.js'
import type { MemoryGpioDriver } from './memoryDriver.js'
import { createSimulatedGpioDriver, simulateInput } from './simulatedGpio.js'

const INPUT = { direction: 'in', activeLow: true, bias: 'pull-up' } as const
const OUTPUT = { direction: 'out', wiring: 'no', debounceMs: 0, bias: 'as-is' } as const

function gpioDevice(id: string, type: DeviceConfig['type'], gpio: GpioDeviceConfig): GpioDevice {
  return { id, type, zone: 'counter', mqtt: {}, gpio }
}

const PANIC = gpioDevice('panic-1', 'panic_button', { ...INPUT, line: 17, wiring: 'nc', debounceMs: 30 })
const LEAK = gpioDevice('leak-1', 'leak', { ...INPUT, line: 22, wiring: 'no', debounceMs: 50 })
const UPS = gpioDevice('ups-1', 'power', { ...INPUT, line: 23, wiring: 'no', debounceMs: 50 })
const DOOR = gpioDevice('door-1', 'door', { ...INPUT, line: 25, wiring: 'nc', debounceMs: 50 })
// a transistor driver: the siren sounds while the pin is high
const SIREN = gpioDevice('siren-1', 'siren', { ...OUTPUT, line: 24, activeLow: false })
// an opto-isolated relay board: on while its input is pulled low
const STROBE = gpioDevice('strobe-1', 'strobe', {
  ...OUTPUT,
  line: 26,
  activeLow: true,
  pulseOnMs: 250,
  pulseOffMs: 250,
})
const DEVICES: DeviceConfig[] = [
  PANIC,
  LEAK,
  UPS,
  DOOR,
  SIREN,
  STROBE,
  { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: {} },
]

function recordingOutput() {
  const readings: Reading[] = []
  const comm: [string, CommStatus][] = []
  const rejections: [RejectReason, string][] = []
  const output: AdapterOutput = {
    reading: (r) => readings.push(r),
    rejected: (reason, detail) => rejections.push([reason, detail.detail]),
    commStatus: (id, status) => comm.push([id, status]),
  }
  const values = (deviceId: string) => readings.filter((r) => r.deviceId === deviceId).map((r) => r.value)
  return { output, readings, comm, rejections, values }
}

/** An adapter over simulated lines; `inject: false` leaves the driver to the adapter's own selection. */
function setup(overrides: Partial<GpioAdapterOptions> = {}, time: ManualTime = manualTime(), inject = true) {
  const driver = createSimulatedGpioDriver(DEVICES)
  const out = recordingOutput()
  const adapter = createGpioAdapter({
    store: 'store-7',
    config: { driver: 'simulated', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
    devices: DEVICES,
    output: out.output,
    clock: time.clock,
    timers: time.timers,
    log: pino({ level: 'silent' }),
    ...(inject && { driver }),
    ...overrides,
  })
  return { adapter, driver, time, ...out }
}

/** Contact bounce: `level` with a few ms of chatter before it settles. */
function bounce(driver: MemoryGpioDriver, time: ManualTime, line: number, level: boolean): void {
  for (const l of [level, !level, level, !level, level]) {
    driver.set(line, l)
    time.advance(1)
  }
}

describe('the GPIO adapter', () => {
  it('reports every input at boot, so rules know the loop state, and every output as off', async () => {
    const { adapter, readings, comm } = setup()
    await adapter.start()
    // lines are claimed in parallel: order the readings by device for the comparison
    const byDevice = [...readings].sort(
      (a, b) => DEVICES.findIndex((d) => d.id === a.deviceId) - DEVICES.findIndex((d) => d.id === b.deviceId),
    )
    expect(byDevice.map((r) => [r.deviceId, r.metric, r.value])).toEqual([
      ['panic-1', 'pressed', false],
      ['leak-1', 'water_leak', false],
      ['ups-1', 'on_battery', false],
      ['door-1', 'contact', true],
      ['siren-1', 'on', false],
      ['strobe-1', 'on', false],
    ])
    expect(byDevice[0]).toMatchObject({
      store: 'store-7',
      deviceType: 'panic_button',
      zone: 'counter',
      quality: 'good',
    })
    expect(comm.map(([id, s]) => [id, s.ok]).sort()).toEqual([
      ['door-1', true],
      ['leak-1', true],
      ['panic-1', true],
      ['siren-1', true],
      ['strobe-1', true],
      ['ups-1', true],
    ])
    expect(adapter.driverName).toBe('simulated')
  })

  it('a bouncing panic button gives one press, once it has been stable for its debounce time', async () => {
    const { adapter, driver, time, values, readings } = setup()
    await adapter.start()
    const pressedAt = time.now()
    bounce(driver, time, 17, simulatedLevel(PANIC, true))
    time.advance(100)
    expect(values('panic-1')).toEqual([false, true])
    // settled 30 ms after the last bounce (4 ms after the first edge)
    expect(readings.at(-1)?.ts).toBe(pressedAt + 4 + 30)
  })

  it('an opened NC loop gives an alarm condition: a cut wire is not quiet', async () => {
    const { adapter, driver, time, values } = setup()
    await adapter.start()
    // a cut wire: the pull-up takes both loops high
    driver.set(17, true)
    driver.set(25, true)
    time.advance(60)
    expect(values('panic-1')).toEqual([false, true])
    expect(values('door-1')).toEqual([true, false])
  })

  it('a leak contact and a UPS on-battery contact report their alarms and their recovery', async () => {
    const { adapter, driver, time, values } = setup()
    await adapter.start()
    simulateInput(driver, LEAK, true)
    simulateInput(driver, UPS, true)
    time.advance(60)
    simulateInput(driver, UPS, false)
    time.advance(60)
    expect(values('leak-1')).toEqual([false, true])
    expect(values('ups-1')).toEqual([false, true, false])
  })

  it('a glitch shorter than the debounce time reports nothing', async () => {
    const { adapter, driver, time, readings } = setup()
    await adapter.start()
    const before = readings.length
    driver.set(22, false)
    time.advance(10)
    driver.set(22, true)
    time.advance(200)
    expect(readings).toHaveLength(before)
  })

  it('drives the siren inside write(), with no timer or await first, and reports it back', async () => {
    const { adapter, driver, values } = setup()
    await adapter.start()
    const done = adapter.write?.('siren-1', 'on', true)
    expect(driver.level(24)).toBe(true)
    await done
    expect(values('siren-1')).toEqual([false, true])
    await adapter.write?.('siren-1', 'on', false)
    expect(driver.writes(24)).toEqual([false, true, false])
    expect(values('siren-1')).toEqual([false, true, false])
  })

  it('an active-low pulsed strobe blinks its pattern until switched off', async () => {
    const { adapter, driver, time } = setup()
    await adapter.start()
    await adapter.write?.('strobe-1', 'on', true)
    time.advance(1000)
    await adapter.write?.('strobe-1', 'on', false)
    // raw levels: claimed high (off), then low/high every 250 ms, then high (off)
    expect(driver.writes(26)).toEqual([true, false, true, false, true, false, true])
    expect(driver.level(26)).toBe(true)
  })

  it('owns its outputs only', () => {
    const { adapter } = setup()
    expect(adapter.owns?.('siren-1')).toBe(true)
    expect(adapter.owns?.('strobe-1')).toBe(true)
    expect(adapter.owns?.('panic-1')).toBe(false)
    expect(adapter.owns?.('smoke-1')).toBe(false)
  })

  it('rejects a write to another metric or of a non-boolean, and leaves the line alone', async () => {
    const { adapter, driver, rejections } = setup()
    await adapter.start()
    await adapter.write?.('siren-1', 'volume', true)
    await adapter.write?.('siren-1', 'on', 'loud')
    await adapter.write?.('siren-1', 'on', 1)
    expect(rejections.map(([reason]) => reason)).toEqual(['unknown_metric', 'wrong_type'])
    expect(driver.writes(24)).toEqual([false, true])
  })

  it('a line that breaks is a device fault, cleared when it recovers, with the level read again', async () => {
    const { adapter, driver, time, comm, values } = setup()
    await adapter.start()
    comm.length = 0
    driver.breakLine(17, 'gpiomon exited (1)')
    driver.set(17, simulatedLevel(PANIC, true))
    driver.repair(17)
    await Promise.resolve()
    time.advance(50)
    expect(comm).toEqual([
      ['panic-1', { ok: false, reason: 'gpio_unavailable', detail: 'gpiomon exited (1)' }],
      ['panic-1', { ok: true, reason: null, detail: '' }],
    ])
    expect(values('panic-1')).toEqual([false, true])
  })

  it('a failing siren write is a write_failed fault, never an exception', async () => {
    const { adapter, driver, comm } = setup()
    await adapter.start()
    comm.length = 0
    driver.breakLine(24, 'EIO')
    await expect(adapter.write?.('siren-1', 'on', true)).resolves.toBeUndefined()
    expect(comm).toEqual([['siren-1', { ok: false, reason: 'write_failed', detail: 'EIO' }]])
  })

  it('with no usable driver every device is gpio_unavailable, start does not throw, and it keeps trying', async () => {
    const time = manualTime()
    const { adapter, comm } = setup(
      {
        config: { driver: 'auto', chip: 'gpiochip0', sysfsRoot: '/nonexistent' },
        probes: { sysfsAccessible: async () => false, gpiodTools: async () => undefined },
        retryMs: 10_000,
      },
      time,
      false,
    )
    await expect(adapter.start()).resolves.toBeUndefined()
    expect(adapter.driverName).toBeUndefined()
    expect(comm).toHaveLength(6)
    expect(comm.every(([, s]) => s.reason === 'gpio_unavailable' && /gpiomon/.test(s.detail))).toBe(true)
    expect(time.pendingCount()).toBe(1)
    await adapter.stop()
    expect(time.pendingCount()).toBe(0)
  })

  it('claims a line that was busy at start on a later retry, and sounds a siren asked for meanwhile', async () => {
    const { adapter, driver, time, comm, values } = setup({ retryMs: 5000 })
    driver.breakLine(24, 'EBUSY')
    await adapter.start()
    expect(comm.find(([id]) => id === 'siren-1')?.[1]).toMatchObject({ ok: false, reason: 'gpio_unavailable' })
    await adapter.write?.('siren-1', 'on', true)
    driver.repair(24)
    time.advance(5000)
    await flush()
    expect(driver.level(24)).toBe(true)
    expect(values('siren-1')).toEqual([true])
    expect(comm.filter(([id]) => id === 'siren-1').map(([, s]) => s.ok)).toEqual([false, true])
  })

  it('stop switches the outputs off and releases every line', async () => {
    const { adapter, driver } = setup()
    await adapter.start()
    await adapter.write?.('siren-1', 'on', true)
    await adapter.stop()
    expect(driver.level(24)).toBe(false)
    for (const line of [17, 22, 23, 24, 25, 26]) expect(driver.isOpen(line)).toBe(false)
  })

  it('without GPIO devices it starts nothing', async () => {
    const out = recordingOutput()
    const adapter = createGpioAdapter({
      store: 'store-7',
      config: { driver: 'auto', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
      devices: [{ id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: {} }],
      output: out.output,
      clock: systemClock,
      log: pino({ level: 'silent' }),
      probes: { sysfsAccessible: async () => false, gpiodTools: async () => undefined },
    })
    await adapter.start()
    expect(adapter.driverName).toBeUndefined()
    expect(out.comm).toEqual([])
    await adapter.stop()
  })
})

describe('GPIO edge to siren', () => {
  // The 50 ms budget is a speed, for bench/ to measure; what a test can hold on any machine is that the
  // debounce is the only wait on the way: the siren pin follows the instant the press is confirmed.
  it('a panic press reaches the siren pin as soon as its 20 ms debounce ends, with nothing else waiting on the way', async () => {
    const panic = gpioDevice('panic-1', 'panic_button', { ...INPUT, line: 17, wiring: 'nc', debounceMs: 20 })
    const driver = createSimulatedGpioDriver([panic, SIREN])
    const time = manualTime()
    const adapter = createGpioAdapter({
      store: 'store-7',
      config: { driver: 'simulated', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
      devices: [panic, SIREN],
      // stands in for the rule engine: a press switches the siren on, as plain calls
      output: {
        reading: (r) => {
          if (r.metric === 'pressed' && r.value === true) void adapter.write?.('siren-1', 'on', true)
        },
        rejected: () => undefined,
        commStatus: () => undefined,
      },
      clock: time.clock,
      timers: time.timers,
      log: pino({ level: 'silent' }),
      driver,
    })
    await adapter.start()
    simulateInput(driver, panic, true)
    time.advance(19)
    await flush()
    expect(driver.level(24)).toBe(false)
    time.advance(1)
    expect(driver.level(24)).toBe(true)
    await adapter.stop()
  })
})

function simulatedLevel(device: GpioDevice, alarm: boolean): boolean {
  const closed = device.gpio.wiring === 'nc' ? !alarm : alarm
  return device.gpio.activeLow ? !closed : closed
}

/** Lets promise callbacks queued by timer callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
