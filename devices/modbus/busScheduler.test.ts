import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../gateway/log.js'
import { manualTime } from '../../test/support/manualTime.js'
import { type BusScheduler, type BusTurn, createBusScheduler, type PolledDevice } from './busScheduler.js'
import type { ModbusClient, ModbusResult } from './modbusClient.js'
import type { ModbusBusConfig } from './modbusSchema.js'

/**
 * The scheduler's ordering and timing against an in-memory line (the real
 * wire is driven in test/modbusTcp.test.ts and test/modbusRtu.test.ts), on
 * manual time: the line's answers, the poll periods, quiet time and back-off
 * all move only as the test steps them, so the timings asserted are exact
 * however busy the machine is.
 */

const bus = (interRequestDelayMs = 0): ModbusBusConfig => ({
  id: 'line',
  type: 'rtu',
  port: '/dev/null',
  baudRate: 9600,
  parity: 'none',
  dataBits: 8,
  stopBits: 1,
  timeoutMs: 100,
  interRequestDelayMs,
})

let time = manualTime()

/** Lets every promise callback that is ready run before time moves on. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** Steps time 1 ms at a time for `ms`, letting the scheduler react before and after each step. */
async function run(ms: number): Promise<void> {
  for (let i = 0; i < ms; i++) {
    await settle()
    time.advance(1)
  }
  await settle()
}

/** Steps time until `promise` settles (bounded, so a hang fails instead of spinning). */
async function during<T>(promise: Promise<T>, maxMs = 10_000): Promise<T> {
  let done = false
  const tracked = promise.finally(() => {
    done = true
  })
  await settle()
  for (let i = 0; !done && i < maxMs; i++) {
    time.advance(1)
    await settle()
  }
  return tracked
}

const sleep = (ms: number) => new Promise<void>((resolve) => time.timers.setTimeout(resolve, ms))

/** A line that answers every read after `requestMs`, counting how many requests overlap. */
function memoryLine(options: { requestMs?: number; failConnects?: number } = {}) {
  let open = false
  let failConnects = options.failConnects ?? 0
  let inFlight = 0
  const stats = {
    maxInFlight: 0,
    requestStarts: [] as number[],
    requestEnds: [] as number[],
    connectAttempts: [] as number[],
  }
  const ok = <T>(value: T): ModbusResult<T> => ({ ok: true, value })
  async function request<T>(value: T): Promise<ModbusResult<T>> {
    stats.requestStarts.push(time.now())
    inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight)
    await sleep(options.requestMs ?? 1)
    inFlight--
    stats.requestEnds.push(time.now())
    return ok(value)
  }
  const client: ModbusClient = {
    async connect() {
      stats.connectAttempts.push(time.now())
      if (failConnects-- > 0) return { ok: false, reason: 'connection_refused', detail: 'no' }
      open = true
      return ok(undefined)
    },
    get isOpen() {
      return open
    },
    readBits: (_fn, _unit, _address, count) => request(Array.from({ length: count }, () => false)),
    readWords: (_fn, _unit, _address, count) => request(Array.from({ length: count }, () => 0)),
    writeCoil: () => request(undefined),
    writeWords: () => request(undefined),
    async close() {
      open = false
    },
  }
  return { client, stats }
}

/** A device whose polls read one register `requests` times and log its id (and when, in `at`). */
function device(deviceId: string, log: string[], requests = 1, pollMs = 1, at: number[] = []): PolledDevice {
  return {
    deviceId,
    pollMs,
    async poll(turn: BusTurn) {
      log.push(deviceId)
      at.push(time.now())
      for (let i = 0; i < requests; i++) await turn.request((c) => c.readWords('holding', 1, 0, 1))
    },
  }
}

let running: BusScheduler | undefined
afterEach(async () => {
  // nobody steps time any more: a request still waiting on it must not hang the stop
  time.release()
  await running?.stop()
  running = undefined
  time = manualTime()
})

function start(options: Parameters<typeof createBusScheduler>[0]): BusScheduler {
  running = createBusScheduler({ ...options, timers: time.timers })
  running.start()
  return running
}

describe('busScheduler', () => {
  it('takes due devices in turn, so a device with long polls cannot starve the others', async () => {
    const log: string[] = []
    const { client } = memoryLine({ requestMs: 5 })
    const devices = [device('slow', log, 4), device('b', log), device('c', log)]
    start({ bus: bus(), client, devices, log: createLogger('silent') })
    await run(200)
    expect(log.length).toBeGreaterThan(9)
    expect(log.slice(0, 9)).toEqual(['slow', 'b', 'c', 'slow', 'b', 'c', 'slow', 'b', 'c'])
  })

  it('polls each device every pollMs and not faster', async () => {
    const at: number[] = []
    const { client } = memoryLine()
    const startedAt = time.now()
    start({ bus: bus(), client, devices: [device('a', [], 1, 50, at)], log: createLogger('silent') })
    await run(230)
    expect(at.map((t) => t - startedAt)).toEqual([0, 50, 100, 150, 200])
  })

  it('leaves interRequestDelayMs of quiet line between requests', async () => {
    const { client, stats } = memoryLine()
    start({ bus: bus(25), client, devices: [device('a', [], 3)], log: createLogger('silent') })
    await run(200)
    const quiet = stats.requestStarts.slice(1).map((t, i) => t - (stats.requestEnds[i] ?? Number.NaN))
    expect(quiet.length).toBeGreaterThan(2)
    expect(Math.min(...quiet)).toBe(25)
  })

  it('never sends two requests at once, even when a job does not wait for the first', async () => {
    const { client, stats } = memoryLine({ requestMs: 5 })
    const scheduler = start({ bus: bus(), client, devices: [], log: createLogger('silent') })
    await during(
      scheduler.submit(async (turn) => {
        await Promise.all([1, 2, 3].map(() => turn.request((c) => c.readWords('input', 1, 0, 1))))
      }),
    )
    expect(stats.requestStarts).toHaveLength(3)
    expect(stats.maxInFlight).toBe(1)
  })

  it('runs a submitted job before polls that are already due', async () => {
    const log: string[] = []
    const { client } = memoryLine({ requestMs: 10 })
    const scheduler = start({
      bus: bus(),
      client,
      devices: [device('a', log), device('b', log)],
      log: createLogger('silent'),
    })
    await run(5) // 'a' is on the line, 'b' is due
    expect(log).toEqual(['a'])
    await during(
      scheduler.submit(async () => {
        log.push('write')
      }),
    )
    expect(log.slice(0, 2)).toEqual(['a', 'write'])
  })

  it('reconnects with a doubling back-off, failing polls at once in between', async () => {
    const log: string[] = []
    const { client, stats } = memoryLine({ failConnects: 3 })
    const results: boolean[] = []
    const probe: PolledDevice = {
      deviceId: 'p',
      pollMs: 5,
      async poll(turn) {
        log.push('p')
        results.push((await turn.request((c) => c.readWords('holding', 1, 0, 1))).ok)
      },
    }
    start({ bus: bus(), client, devices: [probe], log: createLogger('silent'), backoff: { initialMs: 40, maxMs: 80 } })
    await run(300)
    const [first = 0, ...rest] = stats.connectAttempts
    const gaps = rest.map((t, i) => t - (i === 0 ? first : (rest[i - 1] ?? 0)))
    // the back-off ends on a poll (every 5 ms), so each retry comes exactly when it is due
    expect(gaps).toEqual([40, 80, 80])
    expect(results.filter((ok) => !ok).length).toBeGreaterThan(stats.connectAttempts.length) // failed without a connect
    expect(results.at(-1)).toBe(true)
  })
})
