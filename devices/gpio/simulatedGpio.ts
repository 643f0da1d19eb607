import type { DeviceConfig } from '../deviceSchema.js'
import { type GpioDevice, isGpioDevice } from './gpioDevice.js'
import { levelFor } from './inputLogic.js'
import { createMemoryGpioDriver, type MemoryGpioDriver } from './memoryDriver.js'

/**
 * The demo's GPIO (docs/requirements.md#simulation, `gpio.driver: simulated`): in-memory lines
 * that start quiet, NC loops closed, so `npm start` shows GPIO readings with
 * no hardware and no alarm at boot.
 */
export function createSimulatedGpioDriver(devices: readonly DeviceConfig[]): MemoryGpioDriver {
  const levels = new Map<number, boolean>()
  for (const d of devices.filter(isGpioDevice)) {
    if (d.gpio.direction === 'in') levels.set(d.gpio.line, levelFor(false, d.gpio))
  }
  return createMemoryGpioDriver({ levels })
}

/** Plays an input's wire: `alarm` true presses the button / opens the loop / wets the leak contact. */
export function simulateInput(driver: MemoryGpioDriver, device: GpioDevice, alarm: boolean): void {
  driver.set(device.gpio.line, levelFor(alarm, device.gpio))
}
