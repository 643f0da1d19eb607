import { lastLine, runTool } from './childProcess.js'
import { type GpiodMajor, gpiogetArgs, parseGpiogetOutput } from './gpiodTools.js'
import { errorDetail, gpioUnavailable } from './gpioError.js'
import type { GpioBias } from './gpioLine.js'
import type { Timers } from './timers.js'

/** What the gpiod input and output lines share: the chip, the tools' version, and restart timing. */
export interface GpiodContext {
  /** The header chip: `gpiochip0` on a Pi 4, and on a Pi 5 with a 6.6.x kernel or later (`gpiochip4` before). */
  readonly chip: string
  readonly major: GpiodMajor
  /** Environment of the tools; its PATH finds them (tests put stand-ins first). */
  readonly env: NodeJS.ProcessEnv
  readonly timers: Timers
  /** First restart delay after a tool died, doubled up to `maxMs`. */
  readonly backoff: { readonly initialMs: number; readonly maxMs: number }
  /** A restarted tool that stays up this long counts as healthy again (and the back-off resets). */
  readonly healthyAfterMs: number
  /** gpioget / version probes that take longer are failures. */
  readonly toolTimeoutMs: number
}

/** One `gpioget`: the line's raw level. Rejects with `gpio_unavailable` (no chip, line busy, tool missing). */
export async function gpiodRead(ctx: GpiodContext, bcm: number, bias: GpioBias): Promise<boolean> {
  let stdout: string
  try {
    stdout = (await runTool('gpioget', gpiogetArgs(ctx.major, ctx.chip, bcm, bias), ctx.env, ctx.toolTimeoutMs)).stdout
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? ''
    throw gpioUnavailable(`gpioget ${ctx.chip} ${bcm}: ${lastLine(stderr) || errorDetail(err)}`, err)
  }
  const level = parseGpiogetOutput(stdout)
  if (level === undefined) throw gpioUnavailable(`gpioget ${ctx.chip} ${bcm} answered ${JSON.stringify(stdout.trim())}`)
  return level
}

/** Next back-off delay, doubling up to the maximum. */
export function nextBackoff(ctx: GpiodContext, currentMs: number): number {
  return Math.min(currentMs * 2, ctx.backoff.maxMs)
}
