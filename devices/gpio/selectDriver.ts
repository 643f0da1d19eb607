import type { DeviceConfig } from '../deviceSchema.js'
import { createGpiodDriver, detectGpiodTools } from './gpiodDriver.js'
import type { GpiodMajor } from './gpiodTools.js'
import type { GpioDriver, GpioDriverName } from './gpioLine.js'
import type { GpioConfig } from './gpioSchema.js'
import { createOnoffDriver, sysfsAccessible } from './onoffDriver.js'
import { createSimulatedGpioDriver } from './simulatedGpio.js'
import { resolveSysfsBase } from './sysfsBase.js'
import type { Timers } from './timers.js'

/** A driver that may be tried, in order of preference. */
export interface DriverCandidate {
  readonly name: GpioDriverName
  /** Rejects with gpio_unavailable (no header chip, onoff missing). */
  create(): Promise<GpioDriver>
}

/** What auto-selection asks the machine; injectable for tests. */
export interface DriverProbes {
  /** Whether /sys/class/gpio/export can be written (onoff's `Gpio.accessible`). */
  sysfsAccessible(): Promise<boolean>
  /** gpiomon's major version, or undefined when it is not on PATH. */
  gpiodTools(): Promise<GpiodMajor | undefined>
}

export const systemProbes: DriverProbes = { sysfsAccessible, gpiodTools: () => detectGpiodTools() }

export interface CandidateOptions {
  /** For `simulated`: the devices whose lines start at their quiet level. */
  readonly devices?: readonly DeviceConfig[]
  readonly probes?: DriverProbes
  readonly timers?: Timers
  /** Environment of the gpiod tools (PATH); default process.env. */
  readonly env?: NodeJS.ProcessEnv
}

/**
 * The drivers to try, best first (docs/requirements.md#gpio): `auto` prefers
 * sysfs through onoff where /sys/class/gpio is writable, then libgpiod's tools
 * where gpiomon is on PATH (sysfs GPIO is deprecated and being switched off).
 * The caller keeps the first that claims a line: "sysfs if the export works".
 * An explicit driver is tried even when its probe says no, so its own error
 * reaches the device fault.
 */
export async function driverCandidates(config: GpioConfig, options: CandidateOptions = {}): Promise<DriverCandidate[]> {
  const probes = options.probes ?? systemProbes
  const sysfs: DriverCandidate = {
    name: 'sysfs',
    create: async () => createOnoffDriver({ base: (await resolveSysfsBase(config)).base }),
  }
  const gpiod = (major: GpiodMajor | undefined): DriverCandidate => ({
    name: 'gpiod',
    create: async () =>
      createGpiodDriver({
        chip: config.chip,
        ...(major !== undefined && { major }),
        ...(options.timers && { timers: options.timers }),
        ...(options.env && { env: options.env }),
      }),
  })
  switch (config.driver) {
    case 'simulated':
      return [{ name: 'simulated', create: async () => createSimulatedGpioDriver(options.devices ?? []) }]
    case 'sysfs':
      return [sysfs]
    case 'gpiod':
      return [gpiod(await probes.gpiodTools())]
    case 'auto': {
      const [accessible, major] = await Promise.all([probes.sysfsAccessible(), probes.gpiodTools()])
      return [...(accessible ? [sysfs] : []), ...(major !== undefined ? [gpiod(major)] : [])]
    }
  }
}
