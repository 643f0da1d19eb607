import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { errorDetail, gpioUnavailable } from './gpioError.js'

/**
 * Labels of the controller that drives the 40-pin header, per Pi model
 * (docs/requirements.md#gpio: BCM numbers must work on current Raspberry Pi OS). On a Pi 5
 * the header hangs off the RP1 south bridge, not the SoC's own pinctrl-bcm2712.
 */
export const HEADER_CHIP_LABELS: Readonly<Record<string, string>> = {
  'pinctrl-bcm2835': 'Pi 1-3, Zero',
  'pinctrl-bcm2711': 'Pi 4, Pi 400, CM4',
  'pinctrl-rp1': 'Pi 5, CM5',
}

/** One `gpiochipN/` directory under the sysfs GPIO class. */
export interface SysfsChip {
  readonly dir: string
  readonly label: string
  readonly base: number
}

export interface SysfsBase {
  /** The sysfs number of BCM 0. */
  readonly base: number
  /** Where it came from: the chip directory, or `config` for a `gpioBase` override. */
  readonly source: string
}

/**
 * The sysfs GPIO number of BCM line `bcm`. Kernels since 6.6 number the
 * header from 512 on a Pi 4 and 571 on a Pi 5, so a plain `17` fails with
 * EINVAL there (docs/requirements.md#gpio).
 */
export function sysfsNumber(bcm: number, base: number): number {
  return base + bcm
}

/** Picks the header controller among the chips; undefined when none is a known header chip. */
export function headerChip(chips: readonly SysfsChip[]): SysfsChip | undefined {
  return chips.find((c) => Object.hasOwn(HEADER_CHIP_LABELS, c.label))
}

/** Reads `label` and `base` of every `gpiochip*` directory under `sysfsRoot`. */
export async function readSysfsChips(sysfsRoot: string): Promise<SysfsChip[]> {
  const names = (await readdir(sysfsRoot)).filter((n) => /^gpiochip\d+$/.test(n)).sort()
  const chips: SysfsChip[] = []
  for (const dir of names) {
    const label = (await readFile(join(sysfsRoot, dir, 'label'), 'utf8')).trim()
    const base = Number.parseInt((await readFile(join(sysfsRoot, dir, 'base'), 'utf8')).trim(), 10)
    if (Number.isInteger(base)) chips.push({ dir, label, base })
  }
  return chips
}

/**
 * The sysfs number of BCM 0: the `gpioBase` override when configured, else
 * the header controller's `base`. Rejects with `gpio_unavailable` when the
 * tree cannot be read or has no header controller (say which labels it saw,
 * so the operator can set `gpio.gpioBase`).
 */
export async function resolveSysfsBase(config: {
  readonly gpioBase?: number
  readonly sysfsRoot: string
}): Promise<SysfsBase> {
  if (config.gpioBase !== undefined) return { base: config.gpioBase, source: 'config' }
  let chips: SysfsChip[]
  try {
    chips = await readSysfsChips(config.sysfsRoot)
  } catch (err) {
    throw gpioUnavailable(`cannot read GPIO chips under ${config.sysfsRoot}: ${errorDetail(err)}`, err)
  }
  const chip = headerChip(chips)
  if (!chip) {
    const seen = chips.map((c) => `${c.dir} "${c.label}"`).join(', ') || 'no gpiochip directories'
    throw gpioUnavailable(
      `no Raspberry Pi header GPIO controller under ${config.sysfsRoot} (${seen}); ` +
        `expected one labelled ${Object.keys(HEADER_CHIP_LABELS).join(' / ')}, or set gpio.gpioBase`,
    )
  }
  return { base: chip.base, source: join(config.sysfsRoot, chip.dir) }
}
