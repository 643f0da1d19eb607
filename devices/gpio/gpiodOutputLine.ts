import { type ChildProcess, spawn } from 'node:child_process'
import { lastLine, spawned, stopChild } from './childProcess.js'
import { type GpiodContext, nextBackoff } from './gpiodContext.js'
import { gpiosetArgs } from './gpiodTools.js'
import { errorDetail, gpioUnavailable } from './gpioError.js'
import type { GpioOutputLine, GpioOutputOptions, LineHealth } from './gpioLine.js'
import type { TimerHandle } from './timers.js'

/** How long a fresh `gpioset` must stay up at open before the line counts as claimed (EBUSY exits in a few ms). */
export const GPIOSET_CLAIM_CHECK_MS = 150

/**
 * An output through libgpiod's tools: one `gpioset` holds the line at the
 * wanted level until it is signalled; a new level ends it and starts another
 * (libgpiod 1.6 cannot change a held line's value from outside). Writes are
 * queued, so pulses never overlap. A holder that dies unexpectedly is
 * reported and restarted with back-off at the wanted level.
 */
export async function openGpiodOutput(
  ctx: GpiodContext,
  bcm: number,
  opts: GpioOutputOptions,
  claimCheckMs = GPIOSET_CLAIM_CHECK_MS,
): Promise<GpioOutputLine> {
  let level = opts.initialLevel
  let holder: ChildProcess | undefined
  let opening = true
  let closed = false
  let healthy = true
  let lastExit = ''
  let backoffMs = ctx.backoff.initialMs
  let retryTimer: TimerHandle | undefined
  let queue: Promise<void> = Promise.resolve()
  /** When the current holder was started (on the timers' clock), so close() can let it set the line first. */
  let heldSince = 0

  function health(next: LineHealth): void {
    if (next.ok === healthy) return
    healthy = next.ok
    opts.onHealth?.(next)
  }

  function hold(value: boolean): Promise<void> {
    const child = spawn('gpioset', gpiosetArgs(ctx.major, ctx.chip, bcm, value), {
      env: ctx.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    holder = child
    heldSince = ctx.timers.now()
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-1000)
    })
    child.once('close', (code, signal) => {
      lastExit = `gpioset ${ctx.chip} ${bcm} exited (${code ?? signal})${stderr ? `: ${lastLine(stderr)}` : ''}`
      if (holder !== child) return // replaced or stopped on purpose
      holder = undefined
      if (!opening && !closed) failed(lastExit)
    })
    return spawned(child).then(
      () => {
        if (!healthy) ctx.timers.setTimeout(() => holder === child && recovered(), ctx.healthyAfterMs)
      },
      (err: unknown) => {
        if (holder === child) holder = undefined
        throw gpioUnavailable(`gpioset ${ctx.chip} ${bcm}: ${errorDetail(err)}`, err)
      },
    )
  }

  function recovered(): void {
    backoffMs = ctx.backoff.initialMs
    health({ ok: true, detail: 'gpioset holding' })
  }

  function failed(detail: string): void {
    health({ ok: false, detail })
    if (retryTimer !== undefined || closed) return
    retryTimer = ctx.timers.setTimeout(() => {
      retryTimer = undefined
      enqueue(() => (holder || closed ? Promise.resolve() : hold(level))).catch((err) => failed(errorDetail(err)))
    }, backoffMs)
    backoffMs = nextBackoff(ctx, backoffMs)
  }

  function enqueue(job: () => Promise<void>): Promise<void> {
    const next = queue.then(job)
    queue = next.catch(() => undefined)
    return next
  }

  async function switchTo(value: boolean): Promise<void> {
    if (closed) throw gpioUnavailable(`BCM ${bcm} is closed`)
    if (value === level && holder) return
    level = value
    const old = holder
    holder = undefined
    if (old) await stopChild(old, ctx.timers)
    await hold(value)
  }

  await hold(level)
  await new Promise<void>((resolve) => ctx.timers.setTimeout(resolve, claimCheckMs))
  opening = false
  if (!holder) throw gpioUnavailable(lastExit || `gpioset ${ctx.chip} ${bcm} did not hold the line`)

  return {
    write: (value) =>
      enqueue(() => switchTo(value)).catch((err: unknown) => {
        failed(errorDetail(err))
        throw err
      }),
    close: () =>
      enqueue(async () => {
        closed = true
        if (retryTimer !== undefined) ctx.timers.clearTimeout(retryTimer)
        // the off level just asked for must reach the pin before its holder is ended
        const settleMs = claimCheckMs - (ctx.timers.now() - heldSince)
        if (holder && settleMs > 0) await new Promise<void>((resolve) => ctx.timers.setTimeout(resolve, settleMs))
        const old = holder
        holder = undefined
        if (old) await stopChild(old, ctx.timers)
      }),
  }
}
