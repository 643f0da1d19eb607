import type { Gpio } from 'onoff'
import { errorDetail, gpioUnavailable } from './gpioError.js'
import type { GpioDriver, GpioInputLine, GpioOutputLine, LineHealth } from './gpioLine.js'
import { sysfsNumber } from './sysfsBase.js'

/**
 * GPIO through sysfs with onoff (docs/requirements.md#gpio: the default where
 * `/sys/class/gpio` works). onoff is imported lazily: it needs the native
 * `epoll` addon, which a gateway on the gpiod or simulated driver never loads.
 *
 * onoff's own debounce and active-low are left off: debounce, active-low and
 * NC wiring are applied above the driver, the same way for every driver.
 */
type GpioClass = typeof Gpio

async function loadGpio(): Promise<GpioClass> {
  try {
    return (await import('onoff')).Gpio
  } catch (err) {
    throw gpioUnavailable(`onoff cannot be loaded: ${errorDetail(err)}`, err)
  }
}

/** Whether `/sys/class/gpio/export` can be opened for writing (onoff hard-codes that path). */
export async function sysfsAccessible(): Promise<boolean> {
  try {
    return (await loadGpio()).accessible
  } catch {
    return false
  }
}

export interface OnoffDriverOptions {
  /** The sysfs number of BCM 0 (sysfsBase.ts). */
  readonly base: number
}

export async function createOnoffDriver(options: OnoffDriverOptions): Promise<GpioDriver> {
  const GpioCtor = await loadGpio()
  const open = new Set<Gpio>()

  /** Exports the line; a refused export (EINVAL for a wrong base, EBUSY) becomes `gpio_unavailable`. */
  function claim(bcm: number, direction: 'in' | 'high' | 'low'): Gpio {
    const n = sysfsNumber(bcm, options.base)
    try {
      // edge 'both' for inputs: a press and a release (a re-closed loop) must both be seen; outputs have no edge
      const gpio = new GpioCtor(n, direction, direction === 'in' ? 'both' : 'none', { activeLow: false })
      open.add(gpio)
      return gpio
    } catch (err) {
      throw gpioUnavailable(`BCM ${bcm} (sysfs gpio${n}): ${errorDetail(err)}`, err)
    }
  }

  async function release(gpio: Gpio): Promise<void> {
    if (!open.delete(gpio)) return
    try {
      gpio.unexport()
    } catch {
      // already gone (the kernel dropped it): nothing left to release
    }
  }

  return {
    name: 'sysfs',
    async openInput(bcm, opts): Promise<GpioInputLine> {
      const gpio = claim(bcm, 'in')
      let health: LineHealth = { ok: true, detail: '' }
      const report = (next: LineHealth): void => {
        if (next.ok === health.ok) return
        health = next
        opts.onHealth?.(next)
      }
      return {
        read: async () => (await gpio.read()) === GpioCtor.HIGH,
        watch: (onLevel) =>
          gpio.watch((err, value) => {
            if (err) return report({ ok: false, detail: `BCM ${bcm}: ${errorDetail(err)}` })
            report({ ok: true, detail: '' })
            onLevel(value === GpioCtor.HIGH)
          }),
        close: () => release(gpio),
      }
    },
    async openOutput(bcm, opts): Promise<GpioOutputLine> {
      // 'high' / 'low' set the direction and the level in one write: no glitch on the relay
      const gpio = claim(bcm, opts.initialLevel ? 'high' : 'low')
      return {
        write: (level) => gpio.write(level ? GpioCtor.HIGH : GpioCtor.LOW),
        close: () => release(gpio),
      }
    },
    async close() {
      await Promise.all([...open].map(release))
    },
  }
}
