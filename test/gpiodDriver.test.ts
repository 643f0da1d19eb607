import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CommStatus } from '../devices/adapter.js'
import { createGpioAdapter } from '../devices/gpio/gpioAdapter.js'
import { createGpiodDriver, detectGpiodTools } from '../devices/gpio/gpiodDriver.js'
import type { GpioDriver, LineHealth } from '../devices/gpio/gpioLine.js'
import type { DeviceConfig } from '../gateway/config/schema.js'
import type { Reading } from '../gateway/core/reading.js'
import { eventually, type GpiodStandIns, gpiodStandIns } from './support/gpiodStandIns.js'
import { type ManualTime, manualTime } from './support/manualTime.js'

/**
 * The gpiod path against stand-in gpiomon / gpioget / gpioset scripts first
 * on PATH: real child processes, real line parsing. The driver's own delays
 * (restart back-off, healthy-after, the claim check at open, the settle
 * before a holder is ended) run on manual time that each test steps only
 * once the real process event it depends on has happened, so no assertion
 * depends on how fast the machine runs the stand-ins.
 */

/** Every tool the driver spawned, with the moment its close was handled. */
const spawnedTools = vi.hoisted(() => [] as { readonly child: ChildProcess; readonly closed: Promise<unknown> }[])
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>()
  return {
    ...real,
    spawn(command: string, args: readonly string[], options: SpawnOptions) {
      const child = real.spawn(command, args, options)
      // listening before the driver does: once this resolves, the driver has seen the close too
      spawnedTools.push({ child, closed: once(child, 'close') })
      return child
    },
  }
})

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  spawnedTools.length = 0
})

/** Restart delays, doubling to the maximum; every one differs from the healthy-after and claim-check times. */
const BACKOFF = [500, 1000, 2000, 4000] as const
const HEALTHY_AFTER_MS = 10_000
const CLAIM_CHECK_MS = 150

function standIns(version?: string): GpiodStandIns {
  const s = gpiodStandIns(version)
  cleanups.push(s.remove)
  return s
}

interface DriverUnderTest {
  readonly driver: GpioDriver
  readonly time: ManualTime
}

function driverOn(s: GpiodStandIns, major: 1 | 2 = 1): DriverUnderTest {
  const time = manualTime(0)
  const driver = createGpiodDriver({
    chip: 'gpiochip0',
    major,
    env: s.env,
    timers: time.timers,
    backoff: { initialMs: BACKOFF[0], maxMs: BACKOFF[BACKOFF.length - 1] ?? 0 },
    healthyAfterMs: HEALTHY_AFTER_MS,
    claimCheckMs: CLAIM_CHECK_MS,
  })
  cleanups.push(async () => {
    // nobody steps time any more: a settle or a kill grace still pending must not hang the teardown
    time.release()
    await driver.close()
  })
  return { driver, time }
}

/** Waits until exactly these timers are pending, then steps past the first. */
async function stepWhenPending(time: ManualTime, pendingIn: readonly number[]): Promise<void> {
  await eventually(() => expect(time.pendingIn()).toEqual(pendingIn))
  time.advance(pendingIn[0] ?? 0)
}

/** The gpioset stand-ins that logged holding `bcm` (they set the level before logging). */
function holds(s: GpiodStandIns, bcm: number): string[] {
  return s.calls('gpioset').filter((l) => new RegExp(` hold .* ${bcm}=[01]$`).test(l))
}

/**
 * Opens an output and ends its claim check only once the stand-in holds the
 * line, as a real gpioset that claimed it would: the open then always succeeds
 * with the level on the pin.
 */
async function openHeld(
  s: GpiodStandIns,
  { driver, time }: DriverUnderTest,
  bcm: number,
  opts: Parameters<GpioDriver['openOutput']>[1],
) {
  const before = holds(s, bcm).length
  const opening = driver.openOutput(bcm, opts)
  await eventually(() => expect(holds(s, bcm)).toHaveLength(before + 1))
  await stepWhenPending(time, [CLAIM_CHECK_MS])
  return opening
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
    const line = await driverOn(s).driver.openInput(17, { bias: 'pull-up' })
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
    const line = await driverOn(s, 2).driver.openInput(17, { bias: 'as-is' })
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
    const d = driverOn(s)
    const health: LineHealth[] = []
    const line = await d.driver.openInput(17, { onHealth: (h) => health.push(h) })
    const seen: boolean[] = []
    line.watch((level) => seen.push(level))
    // the loop opens while the monitor is dead: the restart's gpioget must see it
    s.setLevel(17, true)
    s.emit(17, 'exit 1')
    // the death is reported at once; the restart waits out the first back-off
    await stepWhenPending(d.time, [BACKOFF[0]])
    expect(health).toHaveLength(1)
    expect(health[0]).toMatchObject({ ok: false })
    expect(health[0]?.detail).toMatch(/gpiomon for gpiochip0 17 exited \(1\): gpiomon: error waiting for events/)
    await eventually(() => expect(seen).toEqual([true]))
    await eventually(() => expect(s.calls('gpiomon')).toHaveLength(2))
    // an event proves the new monitor works, long before the healthy-after time
    s.emit(17, '0 17')
    await eventually(() => expect(seen).toEqual([true, false]))
    expect(health.map((h) => h.ok)).toEqual([false, true])
  })

  it('keeps restarting a gpiomon that keeps dying, backing off', async () => {
    const s = standIns()
    const d = driverOn(s)
    const health: LineHealth[] = []
    const line = await d.driver.openInput(17, { onHealth: (h) => health.push(h) })
    line.watch(() => undefined)
    for (let i = 0; i < BACKOFF.length; i++) s.emit(17, 'exit 1')
    // each death waits longer for its restart: the only timer pending is the next, doubled back-off
    for (const delay of BACKOFF) await stepWhenPending(d.time, [delay])
    await eventually(() => expect(s.calls('gpiomon')).toHaveLength(BACKOFF.length + 1))
    // the last one stays up; until it has for the healthy-after time, the line is still at fault
    await eventually(() => expect(d.time.pendingIn()).toEqual([HEALTHY_AFTER_MS]))
    // one report of the fault, not one per death
    expect(health.map((h) => h.ok)).toEqual([false])
    d.time.advance(HEALTHY_AFTER_MS)
    expect(health.map((h) => h.ok)).toEqual([false, true])
    // a monitor that stayed up starts the back-off over
    s.emit(17, 'exit 1')
    await eventually(() => expect(d.time.pendingIn()).toEqual([BACKOFF[0]]))
    expect(health.map((h) => h.ok)).toEqual([false, true, false])
  })

  it('a line that cannot be read at open is gpio_unavailable with gpioget’s own words', async () => {
    const s = standIns()
    s.setBusy(17, true)
    const err = await driverOn(s)
      .driver.openInput(17, {})
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'gpio_unavailable' })
    expect((err as Error).message).toMatch(/Device or resource busy/)
  })
})

describe('the gpiod driver, outputs', () => {
  it('holds the line with gpioset --mode=signal at its initial level, and one holder at a time on each write', async () => {
    const s = standIns()
    const line = await openHeld(s, driverOn(s), 24, { initialLevel: false })
    expect(s.level(24)).toBe(false)
    // write() resolves once gpioset has started; the line is set a moment later
    await line.write(true)
    await eventually(() => expect(holds(s, 24)).toHaveLength(2))
    expect(s.level(24)).toBe(true)
    await line.write(true) // the level it already holds: no new process
    await line.write(false)
    await eventually(() => expect(holds(s, 24)).toHaveLength(3))
    expect(s.level(24)).toBe(false)
    expect(s.calls('gpioset').map((l) => l.replace(/^\d+ /, ''))).toEqual([
      'hold --mode=signal gpiochip0 24=0',
      'released',
      'hold --mode=signal gpiochip0 24=1',
      'released',
      'hold --mode=signal gpiochip0 24=0',
    ])
    expect(s.holders()).toHaveLength(1)
  })

  it('queued writes never overlap: a pulse train leaves one holder and the last level', async () => {
    const s = standIns()
    const line = await openHeld(s, driverOn(s), 24, { initialLevel: false })
    await Promise.all([true, false, true, false, true].map((level) => line.write(level)))
    // each write ended the holder before it; the last one logs its hold once it has set the line
    await eventually(() => expect(s.holders()).toHaveLength(1))
    expect(holds(s, 24).at(-1)).toMatch(/24=1$/)
    expect(s.level(24)).toBe(true)
  })

  it('a busy line is gpio_unavailable at open', async () => {
    const s = standIns()
    s.setBusy(24, true)
    const d = driverOn(s)
    const err = d.driver.openOutput(24, { initialLevel: false }).catch((e: unknown) => e)
    // the claim check ends only after the refused gpioset has exited, however long that took
    await eventually(() => expect(spawnedTools).toHaveLength(1))
    await spawnedTools[0]?.closed
    await stepWhenPending(d.time, [CLAIM_CHECK_MS])
    expect(await err).toMatchObject({ code: 'gpio_unavailable' })
    expect(((await err) as Error).message).toMatch(/gpioset gpiochip0 24 exited \(1\).*busy/)
  })

  it('a holder killed from outside is reported and restarted at the wanted level', async () => {
    const s = standIns()
    const d = driverOn(s)
    const health: LineHealth[] = []
    const line = await openHeld(s, d, 24, { initialLevel: false, onHealth: (h) => health.push(h) })
    await line.write(true)
    await eventually(() => expect(holds(s, 24)).toHaveLength(2))
    const pids = s.holders()
    expect(pids).toHaveLength(1)
    const pid = pids[0] ?? Number.NaN
    // a real pid only: kill(0) would signal the whole test process group
    expect(pid).toBeGreaterThan(1)
    process.kill(pid, 'SIGKILL')
    await eventually(() => expect(health.map((h) => h.ok)).toEqual([false]))
    await stepWhenPending(d.time, [BACKOFF[0]])
    await eventually(() => expect(holds(s, 24)).toHaveLength(3))
    expect(holds(s, 24).at(-1)).toMatch(/hold --mode=signal gpiochip0 24=1$/)
    expect(s.level(24)).toBe(true)
    // healthy again once the new holder has stayed up for the healthy-after time
    await eventually(() => expect(d.time.pendingIn()).toEqual([HEALTHY_AFTER_MS]))
    expect(health.map((h) => h.ok)).toEqual([false])
    d.time.advance(HEALTHY_AFTER_MS)
    expect(health.map((h) => h.ok)).toEqual([false, true])
  })

  it('close ends every tool the driver started', async () => {
    const s = standIns()
    const d = driverOn(s)
    const input = await d.driver.openInput(17, {})
    input.watch(() => undefined)
    await openHeld(s, d, 24, { initialLevel: false })
    await eventually(() => expect(s.calls('gpiomon')).toHaveLength(1))
    // the holder has been up for the claim check already: close waits for nothing more
    await d.driver.close()
    expect(s.holders()).toEqual([])
    expect(spawnedTools.every(({ child }) => child.exitCode !== null || child.signalCode !== null)).toBe(true)
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
    const time = manualTime()
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
      clock: time.clock,
      timers: time.timers,
      log: pino({ level: 'silent' }),
      probes: { sysfsAccessible: async () => false, gpiodTools: () => detectGpiodTools(s.env) },
      env: s.env,
    })
    cleanups.push(async () => {
      time.release()
      await adapter.stop()
    })
    // the siren's claim check (the driver's default) ends once its gpioset holds the line
    const starting = adapter.start()
    await eventually(() => expect(holds(s, 24)).toHaveLength(1))
    await stepWhenPending(time, [150])
    await starting
    expect(adapter.driverName).toBe('gpiod')
    expect(readings.map((r) => [r.deviceId, r.value]).sort()).toEqual([
      ['panic-1', false],
      ['siren-1', false],
    ])
    s.emit(17, '1 17')
    // the edge has arrived once its debounce is pending
    await stepWhenPending(time, [10])
    await eventually(() => expect(holds(s, 24)).toHaveLength(2))
    expect(s.level(24)).toBe(true)
    await eventually(() => expect(readings.at(-1)).toMatchObject({ deviceId: 'siren-1', value: true }))
    expect(comm.every(([, status]) => status.ok)).toBe(true)
    // stopping switches the siren off, and lets its gpioset set the line before ending it
    const stopping = adapter.stop()
    await eventually(() => expect(holds(s, 24)).toHaveLength(3))
    await stepWhenPending(time, [150])
    await stopping
    expect(s.level(24)).toBe(false)
    expect(s.holders()).toEqual([])
  })
})
