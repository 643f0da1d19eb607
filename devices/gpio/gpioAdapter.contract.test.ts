import { pino } from 'pino'
import { describeAdapterContract } from '../../test/support/adapterContract.js'
import { manualTime } from '../../test/support/manualTime.js'
import { createRecordingOutput } from '../../test/support/recordingOutput.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createGpioAdapter } from './gpioAdapter.js'
import type { GpioDevice } from './gpioDevice.js'
import { createSimulatedGpioDriver, simulateInput } from './simulatedGpio.js'

const PANIC: GpioDevice = {
  id: 'panic-1',
  type: 'panic_button',
  zone: 'counter',
  mqtt: {},
  gpio: { direction: 'in', line: 17, activeLow: true, bias: 'pull-up', wiring: 'nc', debounceMs: 30 },
}
const SIREN: GpioDevice = {
  id: 'siren-1',
  type: 'siren',
  zone: 'counter',
  mqtt: {},
  gpio: { direction: 'out', line: 24, activeLow: false, wiring: 'no', debounceMs: 0, bias: 'as-is' },
}
const DEVICES: DeviceConfig[] = [PANIC, SIREN]
/** Fake time moves in steps this long while the contract waits: well under any debounce. */
const STEP_MS = 10
const MAX_STEPS = 1000

describeAdapterContract('GPIO (in-memory lines)', async () => {
  const time = manualTime()
  const driver = createSimulatedGpioDriver(DEVICES)
  const output = createRecordingOutput()
  const adapter = createGpioAdapter({
    store: 'store-1',
    config: { driver: 'simulated', chip: 'gpiochip0', sysfsRoot: '/sys/class/gpio' },
    devices: DEVICES,
    output,
    clock: time.clock,
    timers: time.timers,
    log: pino({ level: 'silent' }),
    driver,
    retryMs: 1000,
  })
  let pressed = false
  return {
    adapter,
    output,
    deviceId: PANIC.id,
    async produce() {
      pressed = !pressed
      simulateInput(driver, PANIC, pressed)
      return { metric: 'pressed', value: pressed }
    },
    async sendBadInput() {
      // lines carry only levels: the bad input a GPIO adapter can be handed is a write it cannot drive
      await adapter.write?.(SIREN.id, 'on', 'loud')
    },
    async until(condition, what) {
      for (let step = 0; !condition(); step++) {
        if (step === MAX_STEPS) throw new Error(`not within ${MAX_STEPS * STEP_MS} fake ms: ${what}`)
        // line callbacks and re-claims settle on promises; then the debounce and retry timers move on
        for (let i = 0; i < 10; i++) await Promise.resolve()
        time.advance(STEP_MS)
      }
    },
    outage: {
      async stop() {
        driver.breakLine(PANIC.gpio.line, 'gpiomon exited (1)')
      },
      async restart() {
        driver.repair(PANIC.gpio.line)
      },
    },
    leftovers: () => time.pendingCount() + DEVICES.filter((d) => driver.isOpen(d.gpio?.line ?? -1)).length,
    async close() {},
  }
})
