import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { hasEnded, lastLine, stopChild } from './childProcess.js'
import { type GpiodContext, gpiodRead, nextBackoff } from './gpiodContext.js'
import { gpiomonArgs, parseGpiomonLine } from './gpiodTools.js'
import { errorDetail } from './gpioError.js'
import type { GpioInputLine, GpioInputOptions, LineHealth } from './gpioLine.js'
import type { TimerHandle } from './timers.js'

/**
 * An input through libgpiod's tools: the level at open from `gpioget`, then
 * one long-running `gpiomon` per line. A gpiomon that dies is restarted with
 * back-off (docs/requirements.md#gpio: "a stand-in that dies is restarted"); before each
 * restart `gpioget` re-reads the level, so a change while it was down is not
 * lost. An edge in the few milliseconds between gpioget and gpiomon claiming
 * the line can be missed: libgpiod 1.6 cannot read a level and watch edges
 * in one request.
 */
export async function openGpiodInput(ctx: GpiodContext, bcm: number, opts: GpioInputOptions): Promise<GpioInputLine> {
  const bias = opts.bias ?? 'as-is'
  let level = await gpiodRead(ctx, bcm, bias)
  let monitor: ChildProcess | undefined
  let onLevel: ((level: boolean) => void) | undefined
  let closed = false
  let healthy = true
  let backoffMs = ctx.backoff.initialMs
  let restartTimer: TimerHandle | undefined
  let healthyTimer: TimerHandle | undefined

  function health(next: LineHealth): void {
    if (next.ok === healthy) return
    healthy = next.ok
    opts.onHealth?.(next)
  }

  function recovered(): void {
    if (healthyTimer !== undefined) ctx.timers.clearTimeout(healthyTimer)
    healthyTimer = undefined
    backoffMs = ctx.backoff.initialMs
    health({ ok: true, detail: 'gpiomon running' })
  }

  function onLine(text: string): void {
    const event = parseGpiomonLine(text)
    if (!event || event.offset !== bcm) return
    // an event proves the monitor works: no need to wait out healthyAfterMs
    if (!healthy) recovered()
    level = event.rising
    onLevel?.(level)
  }

  function startMonitor(): void {
    const child = spawn('gpiomon', gpiomonArgs(ctx.major, ctx.chip, bcm, bias), {
      env: ctx.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    monitor = child
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-1000)
    })
    if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine)
    child.once('error', (err) => ended(child, `gpiomon: ${errorDetail(err)}`))
    child.once('close', (code, signal) =>
      ended(child, `gpiomon for ${ctx.chip} ${bcm} exited (${code ?? signal})${stderr ? `: ${lastLine(stderr)}` : ''}`),
    )
    if (!healthy) healthyTimer = ctx.timers.setTimeout(recovered, ctx.healthyAfterMs)
  }

  function ended(child: ChildProcess, detail: string): void {
    if (monitor !== child) return
    monitor = undefined
    if (healthyTimer !== undefined) ctx.timers.clearTimeout(healthyTimer)
    healthyTimer = undefined
    if (closed) return
    health({ ok: false, detail })
    scheduleRestart()
  }

  function scheduleRestart(): void {
    restartTimer = ctx.timers.setTimeout(() => void restart(), backoffMs)
    backoffMs = nextBackoff(ctx, backoffMs)
  }

  async function restart(): Promise<void> {
    restartTimer = undefined
    if (closed) return
    try {
      const now = await gpiodRead(ctx, bcm, bias)
      if (closed) return
      if (now !== level) {
        level = now
        onLevel?.(now)
      }
      startMonitor()
    } catch (err) {
      health({ ok: false, detail: errorDetail(err) })
      scheduleRestart()
    }
  }

  return {
    // while gpiomon holds the line gpioget would get EBUSY: the level it reported is the level
    read: () => (monitor && !hasEnded(monitor) ? Promise.resolve(level) : gpiodRead(ctx, bcm, bias)),
    watch(callback) {
      onLevel = callback
      if (!monitor && restartTimer === undefined) startMonitor()
    },
    async close() {
      closed = true
      if (restartTimer !== undefined) ctx.timers.clearTimeout(restartTimer)
      if (healthyTimer !== undefined) ctx.timers.clearTimeout(healthyTimer)
      const child = monitor
      monitor = undefined
      if (child) await stopChild(child, ctx.timers)
    },
  }
}
