import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import type { CommStatus } from '../devices/adapter.js'
import { createGpioAdapter } from '../devices/gpio/gpioAdapter.js'
import { createGpiodDriver, detectGpiodTools } from '../devices/gpio/gpiodDriver.js'
import type { GpioDriver, LineHealth } from '../devices/gpio/gpioLine.js'
import type { DeviceConfig } from '../gateway/config/schema.js'
import { systemClock } from '../gateway/core/clock.js'
import type { Reading } from '../gateway/core/reading.js'
import { eventually, type GpiodStandIns, gpiodStandIns } from './support/gpiodStandIns.js'

/**
 * The gpiod path against stand-in gpiomon / gpioget / gpioset scripts first
 * on PATH (issue 4 done-means): real child processes, real line parsing.
 */
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function standIns(version?: string): GpiodStandIns {
  const s = gpiodStandIns(version)
  cleanups.push(s.remove)
  return s
}

function driverOn(s: GpiodStandIns, major: 1 | 2 = 1): GpioDriver {
  const driver = createGpiodDriver({
    chip: 'gpiochip0',
    major,
    env: s.env,
    backoff: { initialMs: 20, maxMs: 100 },
    healthyAfterMs: 100,
    claimCheckMs: 50,
  })
  cleanups.push(() => driver.close())
  return driver
}

describe('libgpiod tools detection', () => {
  it('finds the tools on PATH and tells 1.6 from 2.x by gpiomon --version', async () => {
    expect(await detectGpiodTools(standIns('v1.6.3').env)).toBe(1)
    expect(await detectGpiodTools(standIns('v2.0.2').env)).toBe(2)
    expect(await detectGpiodTools(standIns('v2.1').env)).toBe(2)
  })

  it('says undefined when gpiomon is not on PATH', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'storeguard-nopath-'))
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }))
    expect(await detectGpiodTools({ PATH: empty })).toBeUndefined()
  })
})

describe('the gpiod driver, inputs', () => {
  it('reads the level with gpioget, then parses gpiomon events with the 1.6 syntax and bias passed through', async () => {
    const s = standIns()
    s.setLevel(17, false)
    const line = await driverOn(s).openInput(17, { bias: 'pull-up' })
    expect(await line.read()).toBe(false)
    const seen: boolean[] = []
    line.watch((level) => seen.push(level))
    s.emit(17, '1 17')
    s.emit(17, 'event: FALLING EDGE offset: 17 timestamp: [    1234.567890123]')
    s.emit(17, '1 4') // another line's event is not ours
    s.emit(17, '0 17')
    await eventually(() => expect(seen).toEqual([true, false, false]))
    // once at open, once for the read() before watch()
    expect(s.calls('gpioget')).toEqual(['--bias=pull-up gpiochip0 17', '--bias=pull-up gpiochip0 17'])
    expect(s.calls('gpiomon')).toEqual(['--line-buffered --format=%e %o --bias=pull-up gpiochip0 17'])
    // gpiomon holds the line: read() answers from the events instead of a gpioget that would get EBUSY
    expect(await line.read()).toBe(false)
    expect(s.calls('gpioget')).toHaveLength(2)
  })

  it('speaks the 2.x syntax, where %e says 2 for a falling edge', async () => {
    const s = standIns('v2.1')
    const line = await driverOn(s, 2).openInput(17, { bias: 'as-is' })
    const seen: boolean[] = []
    line.watch((level) => seen.push(level))
    s.emit(17, '2 17')
    s.emit(17, '1 17')
    await eventually(() => expect(seen).toEqual([false, true]))
    expect(s.calls('gpiomon')).toEqual(['--format=%e %o --chip=gpiochip0 17'])
    expect(s.calls('gpioget')).toEqual(['--numeric --chip=gpiochip0 17'])
  })

  it('a gpiomon that dies is reported and restarted, and a change while it was down is not lost', async () => {
    const s = standIns()
    s.setLevel(17, false)
    const health: LineHealth[] = []
    const line = await driverOn(s).openInput(17, { onHealth: (h) => health.push(h) })
    const seen: boolean[] = []
    line.watch((level) => seen.push(level))
    // the loop opens while the monitor is dead: the restart's gpioget must see it
    s.setLevel(17, true)
    s.emit(17, 'exit 1')
    await eventually(() => expect(s.calls('gpiomon')).toHaveLength(2))
    expect(health[0]).toMatchObject({ ok: false })
    expect(health[0]?.detail).toMatch(/gpiomon for gpiochip0 17 exited \(1\): gpiomon: error waiting for events/)
    await eventually(() => expect(seen).toEqual([true]))
    s.emit(17, '0 17')
    await eventually(() => expect(seen).toEqual([true, false]))
    await eventually(() => expect(health.map((h) => h.ok)).toEqual([false, true]))
  })

  it('keeps restarting a gpiomon that keeps dying, backing off', async () => {
    const s = standIns()
    const health: LineHealth[] = []
    const line = await driverOn(s).openInput(17, { onHealth: (h) => health.push(h) })
    line.watch(() => undefined)
    for (let i = 0; i < 4; i++) s.emit(17, 'exit 1')
    await eventually(() => expect(s.calls('gpiomon').length).toBeGreaterThanOrEqual(5), 5000)
    // one report of the fault, not one per death
    expect(health.map((h) => h.ok)).toEqual([false])
  })

  it('a line that cannot be read at open is gpio_unavailable with gpioget’s own words', async () => {
    const s = standIns()
    s.setBusy(17, true)
    const err = await driverOn(s)
      .openInput(17, {})
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
    expect((err as Error).message).toMatch(/Device or resource busy/)
  })
})

describe('the gpiod driver, outputs', () => {
  it('holds the line with gpioset --mode=signal at its initial level, and one holder at a time on each write', async () => {
    const s = standIns()
    const line = await driverOn(s).openOutput(24, { initialLevel: false })
    expect(s.level(24)).toBe(false)
    // write() resolves once gpioset has started; the line is set a moment later
    await line.write(true)
    await eventually(() => expect(s.level(24)).toBe(true))
    await line.write(true) // the level it already holds: no new process
    await line.write(false)
    await eventually(() => expect(s.level(24)).toBe(false))
    const calls = s.calls('gpioset').map((l) => l.replace(/^\d+ /, ''))
    expect(calls).toEqual([
      'hold --mode=signal gpiochip0 24=0',
      'released',
      'hold --mode=signal gpiochip0 24=1',
      'released',
      'hold --mode=signal gpiochip0 24=0',
    ])
    await eventually(() => expect(s.holders()).toHaveLength(1))
  })

  it('queued writes never overlap: a pulse train leaves one holder and the last level', async () => {
    const s = standIns()
    const line = await driverOn(s).openOutput(24, { initialLevel: false })
    await Promise.all([true, false, true, false, true].map((level) => line.write(level)))
    await eventually(() => expect(s.level(24)).toBe(true))
    await eventually(() => expect(s.holders()).toHaveLength(1))
  })

  it('a busy line is gpio_unavailable at open', async () => {
    const s = standIns()
    s.setBusy(24, true)
    const err = await driverOn(s)
      .openOutput(24, { initialLevel: false })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
    expect((err as Error).message).toMatch(/gpioset gpiochip0 24 exited \(1\).*busy/)
  })

  it('a holder killed from outside is reported and restarted at the wanted level', async () => {
    const s = standIns()
    const health: LineHealth[] = []
    const line = await driverOn(s).openOutput(24, { initialLevel: false, onHealth: (h) => health.push(h) })
    await line.write(true)
    await eventually(() => expect(s.level(24)).toBe(true))
    const pids = s.holders()
    expect(pids).toHaveLength(1)
    const pid = pids[0] ?? Number.NaN
    // a real pid only: kill(0) would signal the whole test process group
    expect(pid).toBeGreaterThan(1)
    process.kill(pid, 'SIGKILL')
    await eventually(() => expect(health.map((h) => h.ok)).toEqual([false, true]))
    expect(s.calls('gpioset').at(-1)).toMatch(/hold --mode=signal gpiochip0 24=1$/)
  })

  it('close ends every tool the driver started', async () => {
    const s = standIns()
    const driver = driverOn(s)
    const input = await driver.openInput(17, {})
    input.watch(() => undefined)
    await driver.openOutput(24, { initialLevel: false })
    await eventually(() => expect(s.calls('gpiomon')).toHaveLength(1))
    await driver.close()
    expect(s.holders()).toEqual([])
  })
})

describe('the GPIO adapter on libgpiod tools', () => {
  it('auto falls back to gpiod where sysfs is gone: an input edge arrives over gpiomon and an output is driven over gpioset', async () => {
    const s = standIns()
    const devices: DeviceConfig[] = [
      {
        id: 'panic-1',
        type: 'panic_button',
        zone: 'counter',
        mqtt: {},
        gpio: { line: 17, direction: 'in', activeLow: true, wiring: 'nc', debounceMs: 10, bias: 'pull-up' },
      },
      {
        id: 'siren-1',
        type: 'siren',
        zone: 'counter',
        mqtt: {},
        gpio: { line: 24, direction: 'out', activeLow: false, wiring: 'no', debounceMs: 0, bias: 'as-is' },
      },
    ]
    // the NC loop is closed: the line is low
    s.setLevel(17, false)
    const readings: Reading[] = []
    const comm: [string, CommStatus][] = []
    const adapter = createGpioAdapter({
      store: 'store-7',
      config: { driver: 'auto', chip: 'gpiochip0', sysfsRoot: '/nonexistent' },
      devices,
      output: {
        reading(r) {
          readings.push(r)
          // a stand-in that drives an output on an input edge, to exercise both directions of the driver;
          // not the robbery rule, which is silent and never sounds a siren
          if (r.metric === 'pressed' && r.value === true) void adapter.write?.('siren-1', 'on', true)
        },
        rejected: () => undefined,
        commStatus: (id, status) => comm.push([id, status]),
      },
      clock: systemClock,
      log: pino({ level: 'silent' }),
      probes: { sysfsAccessible: async () => false, gpiodTools: () => detectGpiodTools(s.env) },
      env: s.env,
    })
    cleanups.push(() => adapter.stop())
    await adapter.start()
    expect(adapter.driverName).toBe('gpiod')
    expect(readings.map((r) => [r.deviceId, r.value]).sort()).toEqual([
      ['panic-1', false],
      ['siren-1', false],
    ])
    s.emit(17, '1 17')
    await eventually(() => expect(s.level(24)).toBe(true))
    await eventually(() => expect(readings.at(-1)).toMatchObject({ deviceId: 'siren-1', value: true }))
    expect(comm.every(([, status]) => status.ok)).toBe(true)
    await adapter.stop()
    expect(s.level(24)).toBe(false)
    expect(s.holders()).toEqual([])
  })
})
