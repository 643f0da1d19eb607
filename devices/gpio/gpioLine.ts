import type { GpioDeviceConfig } from './gpioSchema.js'

/**
 * The one small interface every GPIO driver implements (docs/requirements.md#gpio:
 * "lines sit behind one small interface"): sysfs through onoff, libgpiod's
 * command-line tools, and an in-memory line for tests and the demo.
 *
 * Levels are raw electrical levels (`true` = high). Active-low, NO/NC wiring
 * and debounce are applied above the driver, the same way for every driver
 * (inputLogic.ts), so a line behaves identically whichever driver reads it.
 */

/** gpiod bias flags; sysfs cannot set them (pulls go in config.txt, see docs/gpio-wiring.md). */
export type GpioBias = GpioDeviceConfig['bias']

/** A line went bad (a gpiomon that died, an epoll error) or came back. */
export interface LineHealth {
  readonly ok: boolean
  readonly detail: string
}

export interface GpioLineOptions {
  /** Called on changes of the line's health after it was opened; never throws back into the driver. */
  readonly onHealth?: (health: LineHealth) => void
}

export interface GpioInputOptions extends GpioLineOptions {
  /** Default `as-is`. Honoured by the gpiod driver only. */
  readonly bias?: GpioBias
}

export interface GpioOutputOptions extends GpioLineOptions {
  /** The raw level driven from the moment the line is claimed, so a relay never clicks on at start. */
  readonly initialLevel: boolean
}

export interface GpioInputLine {
  /** The line's current raw level (`true` = high). */
  read(): Promise<boolean>
  /**
   * Calls `onLevel` with the raw level after every edge, bounces included:
   * debouncing is the caller's job. One watcher per line.
   */
  watch(onLevel: (level: boolean) => void): void
  /** Releases the line (unexport, or ends the monitor process). */
  close(): Promise<void>
}

export interface GpioOutputLine {
  /** Drives the raw level (`true` = high). Rejects when the line cannot be driven. */
  write(level: boolean): Promise<void>
  close(): Promise<void>
}

export type GpioDriverName = 'sysfs' | 'gpiod' | 'simulated'

export interface GpioDriver {
  readonly name: GpioDriverName
  /** `bcm` is the BCM GPIO number (GPIO17 = 17), as in the config; the driver maps it. Rejects with `gpio_unavailable`. */
  openInput(bcm: number, options: GpioInputOptions): Promise<GpioInputLine>
  openOutput(bcm: number, options: GpioOutputOptions): Promise<GpioOutputLine>
  /** Releases every line this driver opened. */
  close(): Promise<void>
}
