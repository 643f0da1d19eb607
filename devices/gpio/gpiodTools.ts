import type { GpioBias } from './gpioLine.js'

/**
 * Command lines and output parsing for libgpiod's tools (pure). Debian 12 /
 * Raspberry Pi OS bookworm ship libgpiod 1.6 (`gpiomon [opts] <chip>
 * <offset>`); libgpiod 2.x moved the chip to `--chip` and renumbered `%e`.
 * Only long options are used: `-b` is `--line-buffered` in 1.6 but `--bias`
 * in 2.x.
 */
export type GpiodMajor = 1 | 2

/** The major version from `gpiomon --version`: `gpiomon (libgpiod) v1.6.3`, `gpiomon v2.1 (libgpiod v2.1)`. */
export function parseGpiodVersion(text: string): GpiodMajor | undefined {
  const m = /\bv(\d+)\.\d+/.exec(text)
  if (!m) return undefined
  return m[1] === '1' ? 1 : m[1] === '2' ? 2 : undefined
}

function biasArgs(bias: GpioBias): string[] {
  // as-is: say nothing, so a libgpiod older than 1.5 (no --bias) still works
  return bias === 'as-is' ? [] : [`--bias=${bias}`]
}

/** `%e %o`: edge and offset, one event a line. */
export const GPIOMON_FORMAT = '%e %o'

/** A long-running monitor of both edges on one line. */
export function gpiomonArgs(major: GpiodMajor, chip: string, offset: number, bias: GpioBias): string[] {
  // 1.6 block-buffers stdout into a pipe: without --line-buffered an edge sits in the buffer (edge → siren ≤ 50 ms: docs/requirements.md#latency).
  // 2.x flushes after every poll by itself and has no such option.
  if (major === 1) return ['--line-buffered', `--format=${GPIOMON_FORMAT}`, ...biasArgs(bias), chip, String(offset)]
  return [`--format=${GPIOMON_FORMAT}`, ...biasArgs(bias), `--chip=${chip}`, String(offset)]
}

/** One read of one line's level. */
export function gpiogetArgs(major: GpiodMajor, chip: string, offset: number, bias: GpioBias): string[] {
  if (major === 1) return [...biasArgs(bias), chip, String(offset)]
  return ['--numeric', ...biasArgs(bias), `--chip=${chip}`, String(offset)]
}

/**
 * Drives one line and holds it until the process is signalled. 1.6's default
 * `--mode=exit` releases the line at once, and on a Pi a released line may
 * fall back to an input: a siren must not depend on that.
 */
export function gpiosetArgs(major: GpiodMajor, chip: string, offset: number, level: boolean): string[] {
  const assignment = `${offset}=${level ? 1 : 0}`
  if (major === 1) return ['--mode=signal', chip, assignment]
  return [`--chip=${chip}`, assignment]
}

export interface GpiomonEvent {
  readonly offset: number
  /** A rising edge: the line is high now. */
  readonly rising: boolean
}

/**
 * One line of gpiomon output: our `%e %o` format (1.x: 1 rising / 0 falling;
 * 2.x: 1 rising / 2 falling), or the default human-readable lines of either
 * version (`event:  RISING EDGE offset: 17 timestamp: [...]`,
 * `123.456\trising\t17`). Undefined for anything else.
 */
export function parseGpiomonLine(line: string): GpiomonEvent | undefined {
  const custom = /^\s*([012])\s+(\d+)\s*$/.exec(line)
  if (custom) return { rising: custom[1] === '1', offset: Number(custom[2]) }
  const v1 = /\b(RISING|FALLING) EDGE offset:\s*(\d+)/.exec(line)
  if (v1) return { rising: v1[1] === 'RISING', offset: Number(v1[2]) }
  const v2 = /\t(rising|falling)\t(?:\S+\s+)?(\d+)\s*$/.exec(line)
  if (v2) return { rising: v2[1] === 'rising', offset: Number(v2[2]) }
  return undefined
}

/** gpioget's answer for one line: `1` / `0` (2.x `--numeric` too). */
export function parseGpiogetOutput(text: string): boolean | undefined {
  const t = text.trim()
  return t === '1' ? true : t === '0' ? false : undefined
}
