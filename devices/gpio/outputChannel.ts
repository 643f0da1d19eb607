import type { CommStatus } from '../adapter.js'
import { type ChannelOptions, COMM_OK } from './gpioDevice.js'
import { errorDetail } from './gpioError.js'
import type { GpioDriver, GpioOutputLine, LineHealth } from './gpioLine.js'
import { gpioMetric } from './inputLogic.js'
import { createOutputPattern, type OutputPattern } from './outputPattern.js'

/**
 * One GPIO output device (siren, strobe, relay). The line is claimed at its
 * off level; `write` switches the pattern (steady or pulsed) and reports the
 * state back as a Reading. A write while the line is down is remembered and
 * applied when the line comes back: a siren asked for must sound.
 */
export function createOutputChannel(options: ChannelOptions) {
  const { device, clock, timers } = options
  const { gpio } = device
  const metric = gpioMetric(device.type, gpio)
  let line: GpioOutputLine | undefined
  let pattern: OutputPattern | undefined
  let wanted = false
  /** The latest drive's outcome: true when the level reached the pin. */
  let lastWrite: Promise<boolean> = Promise.resolve(true)

  /** active-low: a relay module that switches on when its input is pulled low. */
  const rawLevel = (active: boolean): boolean => (gpio.activeLow ? !active : active)

  function writeFailed(detail: string): CommStatus {
    return { ok: false, reason: 'write_failed', detail }
  }

  function drive(active: boolean): void {
    const l = line
    if (!l) return
    // started synchronously: no await between the intent and the pin (docs/requirements.md#latency)
    lastWrite = l.write(rawLevel(active)).then(
      () => {
        options.comm(COMM_OK)
        return true
      },
      (err: unknown) => {
        options.comm(writeFailed(`BCM ${gpio.line}: ${errorDetail(err)}`))
        return false
      },
    )
  }

  function emit(on: boolean): void {
    options.reading({
      store: options.store,
      deviceId: device.id,
      deviceType: device.type,
      zone: device.zone,
      metric,
      value: on,
      ts: clock.now(),
      quality: 'good',
    })
  }

  function onHealth(health: LineHealth): void {
    options.comm(health.ok ? COMM_OK : writeFailed(health.detail))
  }

  /** Switches the output; resolves when the first level is on the pin. Never rejects: failures go to `comm`. */
  async function write(on: boolean): Promise<void> {
    wanted = on
    if (!pattern || pattern.on === on) return
    pattern.set(on)
    if (await lastWrite) emit(on)
  }

  return {
    metric,
    write,
    get isOpen(): boolean {
      return line !== undefined
    },
    /** Claims the line at its off level (then applies a remembered `on`). Rejects with gpio_unavailable. */
    async open(driver: GpioDriver): Promise<void> {
      line = await driver.openOutput(gpio.line, { initialLevel: rawLevel(false), onHealth })
      pattern = createOutputPattern({
        timers,
        drive,
        ...(gpio.pulseOnMs !== undefined && { pulseOnMs: gpio.pulseOnMs }),
        ...(gpio.pulseOffMs !== undefined && { pulseOffMs: gpio.pulseOffMs }),
      })
      options.comm(COMM_OK)
      if (wanted) await write(true)
      else emit(false)
    },
    /** Switches off (a stopped gateway leaves no siren sounding), then releases the line. */
    async close(): Promise<void> {
      pattern?.set(false)
      pattern?.dispose()
      pattern = undefined
      await lastWrite
      const l = line
      line = undefined
      await l?.close().catch(() => undefined)
    },
  }
}

export type OutputChannel = ReturnType<typeof createOutputChannel>
