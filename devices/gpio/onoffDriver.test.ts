import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Reading } from '../../gateway/core/reading.js'
import { eventually, gpiodStandIns } from '../../test/support/gpiodStandIns.js'
import { tempDir } from '../../test/support/tempDir.js'
import type { CommStatus } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createGpioAdapter } from './gpioAdapter.js'
import { detectGpiodTools } from './gpiodDriver.js'
import type { LineHealth } from './gpioLine.js'
import { createOnoffDriver, sysfsAccessible } from './onoffDriver.js'

/**
 * The one allowed mock (docs/design.md#real-tests): onoff hard-codes
 * /sys/class/gpio, so its Gpio class is replaced by one that records what
 * the driver asked of it.
 */
const fake = vi.hoisted(() => {
  type Callback = (err: Error | null | undefined, value: 0 | 1) => void
  class Gpio {
    static HIGH = 1 as const
    static LOW = 0 as const
    static accessible = true
    static created: Gpio[] = []
    /** sysfs numbers whose export the "kernel" refuses, with the error. */
    static refuse = new Map<number, string>()
    /** Levels of the wires before the driver claims them; default high (a pull-up, nothing closed). */
    static wire = new Map<number, 0 | 1>()
    value: 0 | 1
    listeners: Callback[] = []
    writes: (0 | 1)[] = []
    exported = true
    constructor(
      readonly gpio: number,
      readonly direction: string,
      readonly edge?: string,
      readonly options?: Record<string, unknown>,
    ) {
      const refused = Gpio.refuse.get(gpio)
      if (refused) throw Object.assign(new Error(`${refused}, write`), { code: refused })
      this.value = Gpio.wire.get(gpio) ?? 1
      if (direction === 'high') this.value = 1
      if (direction === 'low') this.value = 0
      Gpio.created.push(this)
    }
    read(): Promise<0 | 1> {
      return Promise.resolve(this.value)
    }
    write(value: 0 | 1): Promise<void> {
      this.value = value
      this.writes.push(value)
      return Promise.resolve()
    }
    watch(callback: Callback): void {
      this.listeners.push(callback)
    }
    unexport(): void {
      this.exported = false
      this.listeners = []
    }
    /** Test side: the wire changes, as epoll would report it. */
    edge_(value: 0 | 1): void {
      this.value = value
      for (const l of this.listeners) l(null, value)
    }
    fail_(err: Error): void {
      for (const l of this.listeners) l(err, this.value)
    }
  }
  return { Gpio }
})
vi.mock('onoff', () => ({ Gpio: fake.Gpio }))

afterEach(() => {
  fake.Gpio.created = []
  fake.Gpio.refuse.clear()
  fake.Gpio.wire.clear()
  fake.Gpio.accessible = true
})

const byNumber = (n: number) => fake.Gpio.created.find((g) => g.gpio === n)

describe('the sysfs driver through onoff', () => {
  it('claims an input at base + BCM with both edges, and no onoff debounce or active-low (applied above, for every driver)', async () => {
    const driver = await createOnoffDriver({ base: 512 })
    await driver.openInput(17, {})
    const gpio = byNumber(529)
    expect(gpio).toMatchObject({ direction: 'in', edge: 'both', options: { activeLow: false } })
    expect(gpio?.options).not.toHaveProperty('debounceTimeout')
  })

  it('reads and watches raw levels', async () => {
    const driver = await createOnoffDriver({ base: 0 })
    const line = await driver.openInput(17, {})
    const seen: boolean[] = []
    line.watch((level) => seen.push(level))
    byNumber(17)?.edge_(0)
    byNumber(17)?.edge_(1)
    expect(seen).toEqual([false, true])
    expect(await line.read()).toBe(true)
  })

  it('an epoll error is reported as bad health, and the next edge as recovered', async () => {
    const driver = await createOnoffDriver({ base: 0 })
    const health: LineHealth[] = []
    const line = await driver.openInput(17, { onHealth: (h) => health.push(h) })
    line.watch(() => undefined)
    byNumber(17)?.fail_(new Error('EBADF'))
    byNumber(17)?.edge_(0)
    expect(health.map((h) => h.ok)).toEqual([false, true])
  })

  it('claims an output at its initial level in the same write as the direction (no relay click at start)', async () => {
    const driver = await createOnoffDriver({ base: 571 })
    const line = await driver.openOutput(24, { initialLevel: true })
    expect(byNumber(595)).toMatchObject({ direction: 'high', value: 1 })
    await line.write(false)
    await line.write(true)
    expect(byNumber(595)?.writes).toEqual([0, 1])
  })

  it('a refused export (a plain 17 on a Pi 5 gives EINVAL) is gpio_unavailable naming BCM and sysfs numbers', async () => {
    fake.Gpio.refuse.set(17, 'EINVAL')
    const driver = await createOnoffDriver({ base: 0 })
    const err = await driver.openInput(17, {}).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
    expect((err as Error).message).toMatch(/BCM 17 \(sysfs gpio17\): EINVAL/)
  })

  it('close unexports every line it claimed', async () => {
    const driver = await createOnoffDriver({ base: 0 })
    await driver.openInput(17, {})
    await driver.openOutput(24, { initialLevel: false })
    await driver.close()
    expect(fake.Gpio.created.map((g) => g.exported)).toEqual([false, false])
  })

  it('reports sysfs accessible as onoff sees /sys/class/gpio/export', async () => {
    expect(await sysfsAccessible()).toBe(true)
    fake.Gpio.accessible = false
    expect(await sysfsAccessible()).toBe(false)
  })
})

describe('the GPIO adapter on sysfs', () => {
  const cleanups: (() => void)[] = []
  afterEach(() => {
    for (const c of cleanups.splice(0)) c()
  })

  function pi4Sysfs(): string {
    const dir = tempDir('storeguard-sysfs-')
    cleanups.push(dir.remove)
    mkdirSync(join(dir.path, 'gpiochip512'))
    writeFileSync(join(dir.path, 'gpiochip512', 'label'), 'pinctrl-bcm2711\n')
    writeFileSync(join(dir.path, 'gpiochip512', 'base'), '512\n')
    return dir.path
  }

  const devices: DeviceConfig[] = [
    {
      id: 'panic-1',
      type: 'panic_button',
      zone: 'counter',
      mqtt: {},
      gpio: { line: 17, direction: 'in', activeLow: true, wiring: 'nc', debounceMs: 0, bias: 'pull-up' },
    },
  ]

  it('auto picks sysfs where it is writable, numbers the line from the header chip, and reports a press', async () => {
    const readings: Reading[] = []
    const comm: [string, CommStatus][] = []
    const adapter = createGpioAdapter({
      store: 'store-7',
      config: { driver: 'auto', chip: 'gpiochip0', sysfsRoot: pi4Sysfs() },
      devices,
      output: {
        reading: (r) => readings.push(r),
        rejected: () => undefined,
        commStatus: (id, s) => comm.push([id, s]),
      },
      clock: { now: () => 1000 },
      log: pino({ level: 'silent' }),
      probes: { sysfsAccessible, gpiodTools: async () => undefined },
    })
    // the NC loop is closed at rest: it holds the line low
    fake.Gpio.wire.set(529, 0)
    await adapter.start()
    const gpio = byNumber(529)
    expect(adapter.driverName).toBe('sysfs')
    expect(readings.map((r) => [r.metric, r.value])).toEqual([['pressed', false]])
    gpio?.edge_(1)
    expect(readings.map((r) => r.value)).toEqual([false, true])
    expect(comm).toEqual([['panic-1', { ok: true, reason: null, detail: '' }]])
    await adapter.stop()
    expect(gpio?.exported).toBe(false)
  })

  it('auto falls back to the gpiod tools when sysfs is writable but refuses the export', async () => {
    const tools = gpiodStandIns()
    cleanups.push(tools.remove)
    tools.setLevel(17, false)
    fake.Gpio.refuse.set(529, 'EINVAL')
    const readings: Reading[] = []
    const comm: CommStatus[] = []
    const adapter = createGpioAdapter({
      store: 'store-7',
      config: { driver: 'auto', chip: 'gpiochip0', sysfsRoot: pi4Sysfs() },
      devices,
      output: { reading: (r) => readings.push(r), rejected: () => undefined, commStatus: (_id, s) => comm.push(s) },
      clock: { now: () => 1000 },
      log: pino({ level: 'silent' }),
      probes: { sysfsAccessible, gpiodTools: () => detectGpiodTools(tools.env) },
      env: tools.env,
    })
    await adapter.start()
    expect(adapter.driverName).toBe('gpiod')
    // sysfs's refusal is not reported: the button does not flap into fault at boot
    expect(comm.map((s) => s.ok)).toEqual([true])
    expect(readings.map((r) => r.value)).toEqual([false])
    tools.emit(17, '1 17')
    await eventually(() => expect(readings.map((r) => r.value)).toEqual([false, true]))
    await adapter.stop()
  })
})
