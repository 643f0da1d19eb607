import { describe, expect, it } from 'vitest'
import type { GpioDevice } from './gpioDevice.js'
import type { GpioConfig } from './gpioSchema.js'
import type { MemoryGpioDriver } from './memoryDriver.js'
import { driverCandidates } from './selectDriver.js'

const config = (driver: GpioConfig['driver']): GpioConfig => ({
  driver,
  chip: 'gpiochip0',
  sysfsRoot: '/sys/class/gpio',
})
const probes = (sysfs: boolean, gpiod: 1 | 2 | undefined) => ({
  sysfsAccessible: async () => sysfs,
  gpiodTools: async () => gpiod,
})
const names = async (driver: GpioConfig['driver'], sysfs: boolean, gpiod: 1 | 2 | undefined) =>
  (await driverCandidates(config(driver), { probes: probes(sysfs, gpiod) })).map((c) => c.name)

describe('GPIO driver selection (sysfs where it works, libgpiod tools where it is gone)', () => {
  it('auto tries sysfs first where /sys/class/gpio is writable, then the gpiod tools', async () => {
    expect(await names('auto', true, 1)).toEqual(['sysfs', 'gpiod'])
    expect(await names('auto', false, 1)).toEqual(['gpiod'])
    expect(await names('auto', true, undefined)).toEqual(['sysfs'])
  })

  it('auto with neither has nothing to try (the adapter reports gpio_unavailable)', async () => {
    expect(await names('auto', false, undefined)).toEqual([])
  })

  it('an explicit driver is tried even when its probe says no, so its own error reaches the device fault', async () => {
    expect(await names('sysfs', false, 1)).toEqual(['sysfs'])
    expect(await names('gpiod', true, undefined)).toEqual(['gpiod'])
  })

  it('simulated lines start quiet: NC loops closed, NO contacts open', async () => {
    const devices: GpioDevice[] = [
      {
        id: 'panic-1',
        type: 'panic_button',
        zone: 'counter',
        mqtt: {},
        gpio: { line: 17, direction: 'in', activeLow: true, wiring: 'nc', debounceMs: 30, bias: 'pull-up' },
      },
      {
        id: 'leak-1',
        type: 'leak',
        zone: 'backroom',
        mqtt: {},
        gpio: { line: 22, direction: 'in', activeLow: true, wiring: 'no', debounceMs: 50, bias: 'pull-up' },
      },
    ]
    const [candidate] = await driverCandidates(config('simulated'), { devices, probes: probes(false, undefined) })
    const driver = (await candidate?.create()) as MemoryGpioDriver
    expect(driver.name).toBe('simulated')
    expect(driver.level(17)).toBe(false) // the NC loop holds the line low
    expect(driver.level(22)).toBe(true) // the NO contact is open: the pull-up holds it high
  })
})
