import type { TimerHandle, Timers } from './timers.js'

/**
 * Output patterns (docs/requirements.md#gpio: "outputs with on/off/pulse patterns"):
 * steady on, or pulsed `pulseOnMs` on / `pulseOffMs` off until switched off.
 * `drive` gets the logical state (true = sounding); the caller maps it to a
 * raw level. The first drive happens inside `set`, synchronously: GPIO
 * edge → siren ≤ 50 ms (docs/requirements.md#latency) leaves no room for a timer hop.
 */
export interface OutputPatternOptions {
  /** Pulse on-time; steady when absent. */
  readonly pulseOnMs?: number
  /** Pulse off-time; default: the on-time. */
  readonly pulseOffMs?: number
  readonly timers: Timers
  readonly drive: (active: boolean) => void
}

export interface OutputPattern {
  /** Switches the output on (steady or pulsing) or off. Repeating the current state changes nothing. */
  set(on: boolean): void
  /** Whether the output is switched on (it may be in a pulse's off phase). */
  readonly on: boolean
  /** Stops any pulse timer without driving the line (the line is being closed). */
  dispose(): void
}

export function createOutputPattern(options: OutputPatternOptions): OutputPattern {
  const { pulseOnMs, timers, drive } = options
  const pulseOffMs = options.pulseOffMs ?? pulseOnMs
  let on = false
  let timer: TimerHandle | undefined

  function cancel(): void {
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
  }

  function phase(active: boolean): void {
    drive(active)
    if (pulseOnMs === undefined || pulseOffMs === undefined) return
    timer = timers.setTimeout(() => phase(!active), active ? pulseOnMs : pulseOffMs)
  }

  return {
    set(next) {
      if (next === on) return
      on = next
      cancel()
      if (next) phase(true)
      else drive(false)
    },
    get on() {
      return on
    },
    dispose: cancel,
  }
}
