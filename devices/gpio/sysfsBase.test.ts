import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { resolveSysfsBase, sysfsNumber } from './sysfsBase.js'

/** A fake /sys/class/gpio with the given gpiochipN directories (name → label). */
function fakeSysfs(chips: Record<string, string>): string {
  const dir = tempDir('storeguard-sysfs-')
  cleanups.push(dir.remove)
  writeFileSync(join(dir.path, 'export'), '')
  for (const [name, label] of Object.entries(chips)) {
    mkdirSync(join(dir.path, name))
    writeFileSync(join(dir.path, name, 'label'), `${label}\n`)
    writeFileSync(join(dir.path, name, 'base'), `${name.replace('gpiochip', '')}\n`)
  }
  return dir.path
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

describe('sysfs GPIO numbering (the kernel offsets BCM numbers)', () => {
  it.each([
    [
      'an older kernel numbers the header from 0',
      { gpiochip0: 'pinctrl-bcm2835', gpiochip504: 'raspberrypi-exp-gpio' },
      17,
    ],
    [
      'a Pi 4 on kernel 6.6 numbers the header from 512',
      { gpiochip512: 'pinctrl-bcm2711', gpiochip570: 'raspberrypi-exp-gpio' },
      529,
    ],
    [
      'a Pi 5 numbers the header from 571, on the RP1 chip rather than the SoC',
      { gpiochip512: 'pinctrl-bcm2712', gpiochip544: 'pinctrl-bcm2712', gpiochip571: 'pinctrl-rp1' },
      588,
    ],
  ])('%s: BCM 17 is sysfs %i', async (_name, chips, expected) => {
    const { base } = await resolveSysfsBase({ sysfsRoot: fakeSysfs(chips) })
    expect(sysfsNumber(17, base)).toBe(expected)
  })

  it('a gpioBase in the config wins over what the tree says', async () => {
    const root = fakeSysfs({ gpiochip512: 'pinctrl-bcm2711' })
    const resolved = await resolveSysfsBase({ sysfsRoot: root, gpioBase: 0 })
    expect(resolved).toEqual({ base: 0, source: 'config' })
  })

  it('says where the base came from', async () => {
    const root = fakeSysfs({ gpiochip512: 'pinctrl-bcm2711' })
    expect(await resolveSysfsBase({ sysfsRoot: root })).toEqual({ base: 512, source: join(root, 'gpiochip512') })
  })

  it('a tree without a header chip is a clear gpio_unavailable error naming the chips it saw', async () => {
    const root = fakeSysfs({ gpiochip0: 'some-i2c-expander' })
    const err = await resolveSysfsBase({ sysfsRoot: root }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
    expect(String((err as Error).message)).toMatch(/gpiochip0 "some-i2c-expander".*gpioBase/)
  })

  it('a missing sysfs tree (GPIO sysfs switched off) is gpio_unavailable, not a crash', async () => {
    const err = await resolveSysfsBase({ sysfsRoot: '/nonexistent/storeguard/gpio' }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
  })
})
