import { isDeepStrictEqual } from 'node:util'
import type { Clock } from '../../gateway/core/clock.js'
import type { Logger } from '../../gateway/core/logger.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { AdapterOutput, CommStatus, DeviceAdapter } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { type GpioDevice, gpioUnavailableStatus, isGpioDevice } from './gpioDevice.js'
import { errorDetail } from './gpioError.js'
import type { GpioDriver, GpioDriverName } from './gpioLine.js'
import type { GpioConfig } from './gpioSchema.js'
import { createInputChannel, type InputChannel } from './inputChannel.js'
import { createOutputChannel, type OutputChannel } from './outputChannel.js'
import { type DriverCandidate, type DriverProbes, driverCandidates } from './selectDriver.js'
import { systemTimers, type TimerHandle, type Timers } from './timers.js'

export interface GpioAdapterOptions {
  readonly store: string
  readonly config: GpioConfig
  /** Every configured device; the adapter takes those with a `gpio` section. */
  readonly devices: readonly DeviceConfig[]
  readonly output: AdapterOutput
  readonly clock: Clock
  readonly log: Logger
  /** A ready driver (tests, the demo's simulated lines); skips selection. Not closed by `stop`. */
  readonly driver?: GpioDriver
  readonly timers?: Timers
  /** How often lines that could not be claimed are tried again; default 10 s. */
  readonly retryMs?: number
  /** Auto-selection probes and the gpiod tools' environment, for tests. */
  readonly probes?: DriverProbes
  readonly env?: NodeJS.ProcessEnv
}

export interface GpioAdapter extends DeviceAdapter {
  /** The driver in use, undefined before start or while none works. */
  readonly driverName: GpioDriverName | undefined
}

type Channel = InputChannel | OutputChannel

/**
 * GPIO inputs and outputs (docs/requirements.md#gpio). Picks a driver, claims
 * every line, reports each input's level at start and each debounced change
 * after, and drives outputs for `write`. Nothing here throws into the core
 * (docs/design.md#boundaries-never-throw): a missing driver or a line that cannot be claimed is a
 * `gpio_unavailable` device fault, tried again every `retryMs`.
 */
export function createGpioAdapter(options: GpioAdapterOptions): GpioAdapter {
  const { output, clock } = options
  const log = options.log.child({ mod: 'gpio' })
  const timers = options.timers ?? systemTimers
  const retryMs = options.retryMs ?? 10_000
  let devices = options.devices.filter(isGpioDevice)
  const lastStatus = new Map<string, string>()
  const inputs = new Map<string, InputChannel>()
  const outputs = new Map<string, OutputChannel>()
  let driver: GpioDriver | undefined
  let ownDriver = false
  let stopped = true
  /** Between start() and stop(), even with no device to read (a reload may add one). */
  let started = false
  let retryTimer: TimerHandle | undefined

  /** CommStatus on changes only (AdapterOutput's promise). */
  function comm(deviceId: string, status: CommStatus): void {
    const key = status.ok ? 'ok' : `${status.reason}`
    if (lastStatus.get(deviceId) === key) return
    lastStatus.set(deviceId, key)
    output.commStatus(deviceId, status)
  }

  function addChannel(device: GpioDevice): void {
    const channelOptions = {
      store: options.store,
      device,
      clock,
      timers,
      reading: output.reading,
      comm: (status: CommStatus) => comm(device.id, status),
    }
    if (device.gpio.direction === 'in') inputs.set(device.id, createInputChannel(channelOptions))
    else outputs.set(device.id, createOutputChannel(channelOptions))
  }
  for (const device of devices) addChannel(device)
  const entries = (): [string, Channel][] => [...inputs, ...outputs]
  const channels = (): Channel[] => [...inputs.values(), ...outputs.values()]

  /** Claims every line not yet open; returns the lines that could not be claimed, with why. */
  async function openChannels(d: GpioDriver): Promise<[string, string][]> {
    const failures: [string, string][] = []
    await Promise.all(
      entries()
        .filter(([, channel]) => !channel.isOpen)
        .map(([id, channel]) => channel.open(d).catch((err: unknown) => failures.push([id, errorDetail(err)]))),
    )
    return failures
  }

  const report = (failures: readonly [string, string][]): void => {
    for (const [id, why] of failures) comm(id, gpioUnavailableStatus(why))
  }

  /**
   * Tries the candidates in order and keeps the first that claims at least
   * one line ("sysfs if the export works"). A dropped candidate's failures
   * are not reported: a device must not flap into fault at boot because
   * sysfs refused before gpiod took over.
   */
  async function selectDriver(): Promise<void> {
    const injected = options.driver
    const candidates: DriverCandidate[] = injected
      ? [{ name: injected.name, create: async () => injected }]
      : await driverCandidates(options.config, {
          devices,
          timers,
          ...(options.probes && { probes: options.probes }),
          ...(options.env && { env: options.env }),
        })
    let why = 'no GPIO driver: /sys/class/gpio is not writable and gpiomon (Debian package gpiod) is not on PATH'
    for (const candidate of candidates) {
      if (stopped) return
      try {
        const d = await candidate.create()
        const failures = await openChannels(d)
        if (failures.length < devices.length) {
          driver = d
          ownDriver = injected === undefined
          log.info({ driver: d.name }, 'GPIO driver selected')
          report(failures)
          return
        }
        if (!injected) await d.close()
        why = `${candidate.name}: could not claim any line (${failures[0]?.[1]})`
      } catch (err) {
        why = `${candidate.name}: ${errorDetail(err)}`
      }
      log.warn({ driver: candidate.name, why }, 'GPIO driver unusable')
    }
    for (const d of devices) comm(d.id, gpioUnavailableStatus(why))
  }

  /** One connect at a time: a reload's and a retry's must not claim the same line twice. */
  let connecting: Promise<void> = Promise.resolve()
  function connect(): Promise<void> {
    connecting = connecting.then(connectOnce, connectOnce)
    return connecting
  }

  async function connectOnce(): Promise<void> {
    retryTimer = undefined
    if (stopped) return
    if (driver) report(await openChannels(driver))
    else await selectDriver()
    if (!stopped && channels().some((c) => !c.isOpen)) {
      retryTimer = timers.setTimeout(
        () => void connect().catch((err) => log.error({ err }, 'GPIO retry failed')),
        retryMs,
      )
    }
  }

  return {
    name: 'gpio',
    get driverName() {
      return driver?.name
    },
    async start() {
      started = true
      if (devices.length === 0) return
      stopped = false
      await connect()
    },
    async stop() {
      started = false
      stopped = true
      if (retryTimer !== undefined) timers.clearTimeout(retryTimer)
      retryTimer = undefined
      await Promise.all(channels().map((c) => c.close()))
      if (driver && ownDriver) await driver.close().catch(() => undefined)
      driver = undefined
    },
    /**
     * docs/reload.md: a removed or changed device's line is released, then an
     * added or changed one is claimed like at start (its level reported, then
     * its changes). Lines of devices left as they were are not touched.
     */
    async reload(all) {
      const next = all.filter(isGpioDevice)
      const nextById = new Map(next.map((d) => [d.id, d]))
      const before = new Map(devices.map((d) => [d.id, d]))
      const gone = devices.filter((d) => !isDeepStrictEqual(nextById.get(d.id), d))
      const fresh = next.filter((d) => !isDeepStrictEqual(before.get(d.id), d))
      if (gone.length === 0 && fresh.length === 0) return
      for (const { id } of gone) {
        const channel = inputs.get(id) ?? outputs.get(id)
        inputs.delete(id)
        outputs.delete(id)
        lastStatus.delete(id)
        await channel?.close()
      }
      devices = next
      for (const device of fresh) addChannel(device)
      log.info({ added: fresh.map((d) => d.id), released: gone.map((d) => d.id) }, 'GPIO devices reloaded')
      if (!started || devices.length === 0) return
      if (retryTimer !== undefined) timers.clearTimeout(retryTimer)
      stopped = false
      await connect()
    },
    owns: (deviceId) => outputs.has(deviceId),
    write(deviceId: string, metric: string, value: ReadingValue): Promise<void> {
      const channel = outputs.get(deviceId)
      if (!channel) return Promise.resolve()
      if (metric !== channel.metric) {
        output.rejected('unknown_metric', {
          deviceId,
          detail: `${deviceId} is driven through ${channel.metric}, not ${metric}`,
        })
        return Promise.resolve()
      }
      const on = asSwitch(value)
      if (on === undefined) {
        output.rejected('wrong_type', { deviceId, detail: `${metric} must be a boolean, got ${JSON.stringify(value)}` })
        return Promise.resolve()
      }
      return channel.write(on)
    },
  }
}

/** true / false, or 1 / 0 as Modbus coils and some rules say it. */
function asSwitch(value: ReadingValue): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 1 || value === 0) return value === 1
  return undefined
}
