import { afterEach, describe, expect, it } from 'vitest'
import type { ModbusBusConfig } from '../../gateway/config/modbusSchema.js'
import { createLogger } from '../../gateway/log.js'
import { type BusScheduler, type BusTurn, createBusScheduler, type PolledDevice } from './busScheduler.js'
import type { ModbusClient, ModbusResult } from './modbusClient.js'

/**
 * The scheduler's ordering and timing against an in-memory line (the real
 * wire is driven in test/modbusTcp.test.ts and test/modbusRtu.test.ts).
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A line that answers every read after `requestMs`, counting how many requests overlap. */
function memoryLine(options: { requestMs?: number; failConnects?: number } = {}) {
  let open = false
  let failConnects = options.failConnects ?? 0
  let inFlight = 0
  const stats = { maxInFlight: 0, requestStarts: [] as number[], connectAttempts: [] as number[] }
  const ok = <T>(value: T): ModbusResult<T> => ({ ok: true, value })
  async function request<T>(value: T): Promise<ModbusResult<T>> {
    stats.requestStarts.push(Date.now())
    inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight)
    await sleep(options.requestMs ?? 1)
    inFlight--
    return ok(value)
  }
  const client: ModbusClient = {
    async connect() {
      stats.connectAttempts.push(Date.now())
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

/** A device whose polls read one register `requests` times and log its id. */
function device(deviceId: string, log: string[], requests = 1, pollMs = 1): PolledDevice {
  return {
    deviceId,
    pollMs,
    async poll(turn: BusTurn) {
      log.push(deviceId)
      for (let i = 0; i < requests; i++) await turn.request((c) => c.readWords('holding', 1, 0, 1))
    },
  }
}

let running: BusScheduler | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

function start(options: Parameters<typeof createBusScheduler>[0]): BusScheduler {
  running = createBusScheduler(options)
  running.start()
  return running
}

describe('busScheduler', () => {
  it('takes due devices in turn, so a device with long polls cannot starve the others', async () => {
    const log: string[] = []
    const { client } = memoryLine({ requestMs: 5 })
    const devices = [device('slow', log, 4), device('b', log), device('c', log)]
    start({ bus: bus(), client, devices, log: createLogger('silent') })
    await sleep(200)
    expect(log.length).toBeGreaterThan(9)
    expect(log.slice(0, 9)).toEqual(['slow', 'b', 'c', 'slow', 'b', 'c', 'slow', 'b', 'c'])
  })

  it('polls each device about every pollMs and not faster', async () => {
    const log: string[] = []
    const { client } = memoryLine()
    start({ bus: bus(), client, devices: [device('a', log, 1, 50)], log: createLogger('silent') })
    await sleep(230)
    expect(log.length).toBeGreaterThanOrEqual(4)
    expect(log.length).toBeLessThanOrEqual(6)
  })

  it('leaves interRequestDelayMs of quiet line between requests', async () => {
    const { client, stats } = memoryLine()
    start({ bus: bus(25), client, devices: [device('a', [], 3)], log: createLogger('silent') })
    await sleep(200)
    const gaps = stats.requestStarts.slice(1).map((t, i) => t - (stats.requestStarts[i] ?? 0))
    expect(gaps.length).toBeGreaterThan(2)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(24)
  })

  it('never sends two requests at once, even when a job does not wait for the first', async () => {
    const { client, stats } = memoryLine({ requestMs: 5 })
    const scheduler = start({ bus: bus(), client, devices: [], log: createLogger('silent') })
    await scheduler.submit(async (turn) => {
      await Promise.all([1, 2, 3].map(() => turn.request((c) => c.readWords('input', 1, 0, 1))))
    })
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
    await sleep(5) // 'a' is on the line, 'b' is due
    await scheduler.submit(async () => {
      log.push('write')
    })
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
    await sleep(300)
    const [first = 0, ...rest] = stats.connectAttempts
    const gaps = rest.map((t, i) => t - (i === 0 ? first : (rest[i - 1] ?? 0)))
    // a retry waits for the next poll after its back-off, so allow a poll period or two on top
    const expected = [40, 80, 80]
    expect(gaps.slice(0, 3).map((g, i) => g >= (expected[i] ?? 0) - 1 && g < (expected[i] ?? 0) + 20)).toEqual([
      true,
      true,
      true,
    ])
    expect(results.filter((ok) => !ok).length).toBeGreaterThan(stats.connectAttempts.length) // failed without a connect
    expect(results.at(-1)).toBe(true)
  })
})
