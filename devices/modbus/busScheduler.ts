import type { Logger } from '../../gateway/core/logger.js'
import { systemTimers, type Timers } from '../gpio/timers.js'
import type { ModbusClient, ModbusResult } from './modbusClient.js'
import type { ModbusFailure } from './modbusFailure.js'
import type { ModbusBusConfig } from './modbusSchema.js'

/**
 * One bus, one line of requests (docs/requirements.md#modbus: "requests on one serial bus are
 * strictly one at a time"). RS-485 is half-duplex: a second request sent
 * before the first answer arrives collides with it, so the scheduler runs one
 * turn at a time and every request of a turn after the previous one's answer
 * (or timeout), with `interRequestDelayMs` of quiet line between them.
 *
 * TCP buses use the same sequential line. A TCP bus is one host, and one
 * connection per host (docs/requirements.md#modbus); many Modbus/TCP devices, and every TCP-to-RTU
 * gateway, serve one transaction at a time anyway, so pipelining would buy
 * little and cost the same ordering guarantees. Different buses (hosts, serial
 * ports) run in parallel, each with its own scheduler.
 */

/** Exclusive use of the bus for one job. */
export interface BusTurn {
  /**
   * Sends one request. Connects first when the line is down (with back-off);
   * while it cannot, resolves at once with the connection failure.
   */
  request<T>(op: (client: ModbusClient) => Promise<ModbusResult<T>>): Promise<ModbusResult<T>>
}

/** A device the scheduler polls every `pollMs`. */
export interface PolledDevice {
  readonly deviceId: string
  /** Poll period in ms (the device's `pollSec` × 1000). */
  readonly pollMs: number
  /** One poll; must not throw (a throw is logged and the poll counts for nothing). */
  poll(turn: BusTurn): Promise<void>
}

export interface ReconnectBackoff {
  /** First wait after a failed connect, ms. Default 1000. */
  readonly initialMs?: number
  /** Longest wait, ms; each failure doubles the wait up to this. Default 30 000. */
  readonly maxMs?: number
}

export interface BusScheduler {
  start(): void
  /** Runs `job` as the next turn, ahead of due polls (an output switching a siren relay should not wait). */
  submit(job: (turn: BusTurn) => Promise<void>): Promise<void>
  /**
   * Stops polling, closes the line and resolves once the current turn is over.
   * `finishTurn`: the turn under way ends first, then the line closes — a reload
   * restarting the bus must not abort a poll into a failure of a device it keeps.
   */
  stop(options?: { readonly finishTurn?: boolean }): Promise<void>
}

export interface BusSchedulerOptions {
  readonly bus: ModbusBusConfig
  readonly client: ModbusClient
  readonly devices: readonly PolledDevice[]
  /** The adapter's logger; the scheduler adds `bus`. */
  readonly log: Logger
  readonly backoff?: ReconnectBackoff
  /** Poll periods, quiet time and back-off run on these; tests step them by hand. */
  readonly timers?: Timers
}

export function createBusScheduler(options: BusSchedulerOptions): BusScheduler {
  const { client } = options
  const timers = options.timers ?? systemTimers
  const log = options.log.child({ bus: options.bus.id })
  const ring = options.devices.map((device) => ({ device, dueAt: 0 }))
  const urgent: { job: (turn: BusTurn) => Promise<void>; done: () => void }[] = []
  const line = createLine({ ...options, log })
  let cursor = 0
  let running = false
  let loopDone: Promise<void> = Promise.resolve()
  let wake: (() => void) | undefined

  /** Round-robin from the device after the last one served: a busy device cannot starve the others. */
  function nextDuePoll(now: number): PolledDevice | undefined {
    for (let k = 0; k < ring.length; k++) {
      const index = (cursor + k) % ring.length
      const slot = ring[index]
      if (slot === undefined || slot.dueAt > now) continue
      cursor = index + 1
      // poll every pollMs; when the bus fell behind, skip the missed polls rather than bunch them up
      slot.dueAt = slot.dueAt + slot.device.pollMs < now ? now + slot.device.pollMs : slot.dueAt + slot.device.pollMs
      return slot.device
    }
    return undefined
  }

  async function loop(): Promise<void> {
    while (running) {
      const next = urgent.shift()
      if (next) {
        await runTurn(() => next.job(line.turn), 'job')
        next.done()
        continue
      }
      const device = nextDuePoll(timers.now())
      if (device) {
        await runTurn(() => device.poll(line.turn), device.deviceId)
        continue
      }
      await sleepUntil(Math.min(...ring.map((s) => s.dueAt)))
    }
  }

  async function runTurn(run: () => Promise<void>, what: string): Promise<void> {
    try {
      await run()
    } catch (err) {
      log.error({ err, turn: what }, 'modbus turn failed unexpectedly')
    }
  }

  function sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = timers.setTimeout(done, Math.max(0, Math.min(at - timers.now(), 60_000)))
      function done() {
        timers.clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })
  }

  return {
    start() {
      if (running) return
      running = true
      line.resume()
      const now = timers.now()
      for (const slot of ring) slot.dueAt = now
      loopDone = loop()
    },
    submit(job) {
      return new Promise((resolve) => {
        if (!running) return resolve()
        urgent.push({ job, done: resolve })
        wake?.()
      })
    },
    async stop() {
      running = false
      line.stop()
      wake?.()
      // closing first aborts an in-flight request, so stop() waits for no timeout
      await client.close()
      await loopDone
      for (const pending of urgent.splice(0)) pending.done()
      log.debug('modbus bus stopped')
    },
  }
}

/** The request line: connect with back-off, one request at a time, quiet time between requests. */
function createLine(options: BusSchedulerOptions) {
  const { bus, client, log } = options
  const timers = options.timers ?? systemTimers
  const initialMs = options.backoff?.initialMs ?? 1000
  const maxMs = options.backoff?.maxMs ?? 30_000
  let waitMs = initialMs
  let nextConnectAt = 0
  let lastFailure: ModbusFailure = { reason: 'connection_lost', detail: 'not connected yet' }
  let wasOpen = false
  let lastRequestEndAt = 0
  let quietUntil = 0
  let tail: Promise<unknown> = Promise.resolve()
  let stopped = false

  async function ensureConnected(): Promise<ModbusFailure | undefined> {
    if (client.isOpen) return undefined
    if (wasOpen) {
      wasOpen = false
      nextConnectAt = 0 // a line that just dropped gets one immediate reconnect, then back-off
      log.warn('modbus connection lost; reconnecting')
    }
    if (timers.now() < nextConnectAt) return lastFailure
    const opened = await client.connect()
    if (opened.ok) {
      wasOpen = true
      waitMs = initialMs
      log.info('modbus connected')
      return undefined
    }
    if (opened.reason !== lastFailure.reason || waitMs === initialMs) {
      log.warn({ reason: opened.reason, detail: opened.detail, retryInMs: waitMs }, 'modbus connect failed')
    }
    lastFailure = opened
    nextConnectAt = timers.now() + waitMs
    waitMs = Math.min(waitMs * 2, maxMs)
    return opened
  }

  async function send<T>(op: (client: ModbusClient) => Promise<ModbusResult<T>>): Promise<ModbusResult<T>> {
    if (stopped) return { ok: false, reason: 'connection_lost', detail: 'adapter stopped' }
    const down = await ensureConnected()
    if (down) return { ok: false, ...down }
    const quietMs = Math.max(lastRequestEndAt + bus.interRequestDelayMs, quietUntil) - timers.now()
    if (quietMs > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, quietMs))
    const result = await op(client)
    lastRequestEndAt = timers.now()
    if (!result.ok && result.reason === 'modbus_timeout' && bus.type === 'rtu') {
      // RTU frames carry no transaction id: a late answer arriving while the next request waits would pass
      // for that request's answer. Keep the line quiet for another timeout so it lands while nothing is
      // pending, where modbus-serial drops it.
      quietUntil = lastRequestEndAt + bus.timeoutMs
    }
    return result
  }

  const turn: BusTurn = {
    // chained, so even two calls from one job without awaiting can never overlap on the wire
    request<T>(op: (client: ModbusClient) => Promise<ModbusResult<T>>) {
      const result = tail.then(() => send(op))
      tail = result.catch(() => undefined)
      return result
    },
  }

  return {
    turn,
    stop() {
      stopped = true
    },
    resume() {
      stopped = false
    },
  }
}
