import { type ChannelOptions, COMM_OK, gpioUnavailableStatus } from './gpioDevice.js'
import type { GpioDriver, GpioInputLine, LineHealth } from './gpioLine.js'
import {
  type DebounceState,
  gpioMetric,
  initialDebounce,
  inputValue,
  recordEdge,
  settle,
  settlesAt,
} from './inputLogic.js'
import type { TimerHandle } from './timers.js'

/**
 * One GPIO input device (panic button, leak / UPS / door contact): the
 * initial level counts at once and is reported, so rules know the loop state
 * at boot; then each debounced change is one Reading (docs/requirements.md#gpio). The edge path
 * is plain calls plus the debounce timer (docs/requirements.md#latency: edge → siren ≤ 50 ms).
 */
export function createInputChannel(options: ChannelOptions) {
  const { device, clock, timers } = options
  const { gpio } = device
  const metric = gpioMetric(device.type, gpio)
  let line: GpioInputLine | undefined
  let state: DebounceState | undefined
  let timer: TimerHandle | undefined

  function emit(level: boolean): void {
    options.reading({
      store: options.store,
      deviceId: device.id,
      deviceType: device.type,
      zone: device.zone,
      metric,
      value: inputValue(level, gpio, metric),
      ts: clock.now(),
      quality: 'good',
    })
  }

  function onRaw(level: boolean): void {
    if (!state) return
    state = recordEdge(state, level, clock.now())
    if (gpio.debounceMs === 0) {
      settleNow()
      return
    }
    if (timer !== undefined) timers.clearTimeout(timer)
    timer = undefined
    const at = settlesAt(state, gpio.debounceMs)
    if (at !== null) timer = timers.setTimeout(settleNow, Math.max(0, at - clock.now()))
  }

  function settleNow(): void {
    timer = undefined
    if (!state) return
    const result = settle(state, clock.now(), gpio.debounceMs)
    state = result.state
    if (result.changed !== undefined) emit(result.changed)
    else if (settlesAt(state, gpio.debounceMs) !== null) onRaw(state.raw)
  }

  function onHealth(health: LineHealth): void {
    options.comm(health.ok ? COMM_OK : gpioUnavailableStatus(health.detail))
    // back from a fault: the level may have moved while nobody watched
    if (health.ok) line?.read().then(onRaw, () => undefined)
  }

  return {
    metric,
    get isOpen(): boolean {
      return line !== undefined
    },
    /** Claims the line, reports its level, and watches it. Rejects (gpio_unavailable) when the line cannot be claimed or read. */
    async open(driver: GpioDriver): Promise<void> {
      const opened = await driver.openInput(gpio.line, { bias: gpio.bias, onHealth })
      let level: boolean
      try {
        level = await opened.read()
      } catch (err) {
        await opened.close().catch(() => undefined)
        throw err
      }
      line = opened
      state = initialDebounce(level, clock.now())
      options.comm(COMM_OK)
      emit(level)
      opened.watch(onRaw)
    },
    async close(): Promise<void> {
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      state = undefined
      const l = line
      line = undefined
      // stopping: a line that will not release is the kernel's business now, not a device fault
      await l?.close().catch(() => undefined)
    },
  }
}

export type InputChannel = ReturnType<typeof createInputChannel>
