import { runTool } from './childProcess.js'
import type { GpiodContext } from './gpiodContext.js'
import { openGpiodInput } from './gpiodInputLine.js'
import { openGpiodOutput } from './gpiodOutputLine.js'
import { type GpiodMajor, parseGpiodVersion } from './gpiodTools.js'
import type { GpioDriver, GpioInputLine, GpioOutputLine } from './gpioLine.js'
import { systemTimers, type Timers } from './timers.js'

/**
 * GPIO through libgpiod's command-line tools (Debian package `gpiod`) as
 * child processes: the path where sysfs GPIO is missing or refuses the
 * export (docs/requirements.md#gpio; sysfs GPIO is deprecated). Under systemd the default
 * KillMode ends the tools with the gateway, so a restart finds its lines free.
 */
export interface GpiodDriverOptions {
  /** The header chip, `gpiochip0` by default in the config. */
  readonly chip: string
  /** From `detectGpiodTools`; default 1 (Debian 12 / Raspberry Pi OS bookworm). */
  readonly major?: GpiodMajor
  /** Default process.env. Its PATH finds the tools. */
  readonly env?: NodeJS.ProcessEnv
  readonly timers?: Timers
  /** Restart back-off of a tool that died; default 500 ms doubling to 30 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number }
  /** Default 2000 ms. */
  readonly healthyAfterMs?: number
  /** Default 3000 ms. */
  readonly toolTimeoutMs?: number
  /** How long a new gpioset must survive at open; default 150 ms. */
  readonly claimCheckMs?: number
}

/**
 * Whether the tools are on PATH, and their major version, from
 * `gpiomon --version`. Undefined when gpiomon cannot be run; 1 when its
 * version text is not understood (the syntax Debian 12 ships).
 */
export async function detectGpiodTools(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 3000,
): Promise<GpiodMajor | undefined> {
  try {
    const { stdout } = await runTool('gpiomon', ['--version'], env, timeoutMs)
    return parseGpiodVersion(stdout) ?? 1
  } catch {
    return undefined
  }
}

export function createGpiodDriver(options: GpiodDriverOptions): GpioDriver {
  const ctx: GpiodContext = {
    chip: options.chip,
    major: options.major ?? 1,
    env: options.env ?? process.env,
    timers: options.timers ?? systemTimers,
    backoff: options.backoff ?? { initialMs: 500, maxMs: 30_000 },
    healthyAfterMs: options.healthyAfterMs ?? 2000,
    toolTimeoutMs: options.toolTimeoutMs ?? 3000,
  }
  const open = new Set<GpioInputLine | GpioOutputLine>()

  /** Remembers the line until it is closed, so `close()` can end every tool this driver started. */
  function track<L extends GpioInputLine | GpioOutputLine>(line: L): L {
    const tracked: L = {
      ...line,
      close: () => {
        open.delete(tracked)
        return line.close()
      },
    }
    open.add(tracked)
    return tracked
  }

  return {
    name: 'gpiod',
    openInput: async (bcm, opts) => track(await openGpiodInput(ctx, bcm, opts)),
    openOutput: async (bcm, opts) => track(await openGpiodOutput(ctx, bcm, opts, options.claimCheckMs)),
    async close() {
      await Promise.all([...open].map((line) => line.close()))
    },
  }
}
