import type { CommFaultReason } from '../adapter.js'
import { describeFailure, type ModbusFailure } from './modbusFailure.js'
import type { ModbusBusConfig } from './modbusSchema.js'
import { type ModbusSerialClient, ModbusSerialClient as ModbusSerialClientClass } from './modbusSerialModule.js'

/**
 * A thin, typed wrapper round one modbus-serial connection (a serial port or
 * a TCP connection). It never rejects: every call resolves to a result whose
 * failure carries a CommFaultReason (docs/requirements.md#modbus: "timeouts, CRC errors and lost
 * connections become device faults, never crashes").
 *
 * It does no queueing: the bus scheduler calls it strictly one request at a
 * time. modbus-serial's RTU client keeps one transaction slot and breaks when
 * two requests overlap (docs/requirements.md#modbus), so its own worker queue is not used either.
 */

export type ModbusResult<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & ModbusFailure)

export interface ModbusClient {
  /** Opens the serial port or TCP connection, closing any previous one. */
  connect(): Promise<ModbusResult<undefined>>
  /** Whether requests can be sent: false before connect, after close, and once the line dropped. */
  readonly isOpen: boolean
  /** FC1 (coil) / FC2 (discrete): `count` bits from `address`. */
  readBits(fn: 'coil' | 'discrete', unitId: number, address: number, count: number): Promise<ModbusResult<boolean[]>>
  /** FC3 (holding) / FC4 (input): `count` 16-bit registers from `address`. */
  readWords(fn: 'holding' | 'input', unitId: number, address: number, count: number): Promise<ModbusResult<number[]>>
  /** FC5: one coil. */
  writeCoil(unitId: number, address: number, bit: boolean): Promise<ModbusResult<undefined>>
  /** FC6 for one register, FC16 for more (a 32-bit value). */
  writeWords(unitId: number, address: number, words: readonly number[]): Promise<ModbusResult<undefined>>
  /** Closes the line; in-flight requests resolve with `connection_lost`. Never rejects. */
  close(): Promise<void>
}

/**
 * Extra time on top of the bus's `timeoutMs` after which a request is given
 * up even if modbus-serial never calls back (belt and braces: a request
 * whose write threw inside the library must not hang the bus forever).
 */
const GUARD_MS = 500
/** How long close() waits for the port's close callback. */
const CLOSE_WAIT_MS = 1000

export function createModbusClient(bus: ModbusBusConfig): ModbusClient {
  let current: ModbusSerialClient | undefined
  /** Bumped by every connect and close, so a connect that a close overtook knows to give up. */
  let connects = 0
  const inFlight = new Set<(failure: ModbusFailure) => void>()

  function abortAll(detail: string): void {
    for (const abort of [...inFlight]) abort({ reason: 'connection_lost', detail })
  }

  async function connect(): Promise<ModbusResult<undefined>> {
    await close()
    const client = new ModbusSerialClientClass()
    // ALWAYS set: modbus-serial has no request timeout by default, and a silent slave hangs a request forever
    // (docs/requirements.md#modbus). Set before connecting so a TCP connect that never completes times out too.
    client.setTimeout(bus.timeoutMs)
    client.on('error', () => {
      // serial port errors arrive here; the failed request or the 'close' event reports them
    })
    client.on('close', () => {
      if (current === client) abortAll('connection closed by the other end')
    })
    const generation = ++connects
    const opening = open(client)
    const opened = await guarded(opening, bus.timeoutMs + GUARD_MS, 'connect', bus.timeoutMs)
    if (!opened.ok || generation !== connects) {
      // given up (guard timeout, or close() meanwhile): if the open completes later, close that port too
      opening.then(
        () => closeClient(client),
        () => {},
      )
      await closeClient(client)
      return opened.ok ? failed('connection_lost', 'closed while connecting') : opened
    }
    current = client
    return opened
  }

  /** Opens the line; a synchronous throw (serialport validates options in its constructor) becomes a rejection. */
  async function open(client: ModbusSerialClient): Promise<undefined> {
    if (bus.type === 'tcp') await client.connectTCP(bus.host, { port: bus.port })
    else {
      const { baudRate, parity, dataBits, stopBits } = bus
      await client.connectRTUBuffered(bus.port, { baudRate, parity, dataBits, stopBits })
    }
    return undefined
  }

  function request<T>(run: (client: ModbusSerialClient) => Promise<T>): Promise<ModbusResult<T>> {
    const client = current
    if (!client?.isOpen) return Promise.resolve(failed('connection_lost', 'not connected'))
    return guarded(
      Promise.resolve().then(() => run(client)),
      bus.timeoutMs + GUARD_MS,
      'request',
      bus.timeoutMs,
    )
  }

  /** Settles once: with the outcome, with a timeout after `guardMs`, or with connection_lost on close. */
  function guarded<T>(
    work: Promise<T>,
    guardMs: number,
    phase: 'connect' | 'request',
    timeoutMs: number,
  ): Promise<ModbusResult<T>> {
    return new Promise((resolve) => {
      const finish = (result: ModbusResult<T>) => {
        clearTimeout(timer)
        inFlight.delete(abort)
        resolve(result)
      }
      const abort = (failure: ModbusFailure) => finish({ ok: false, ...failure })
      const timer = setTimeout(() => abort(describeFailure({ name: 'GuardTimeout' }, phase, timeoutMs)), guardMs)
      inFlight.add(abort)
      work.then(
        (value) => finish({ ok: true, value }),
        (err: unknown) => abort(describeFailure(err, phase, timeoutMs)),
      )
    })
  }

  async function close(): Promise<void> {
    const client = current
    current = undefined
    connects++
    abortAll('connection closed')
    if (client) await closeClient(client)
  }

  function closeClient(client: ModbusSerialClient): Promise<void> {
    // modbus-serial's close() removes its own 'error' listener from the port, while the buffered RTU port
    // still re-emits serial errors; without a listener a late error would crash the process (docs/requirements.md#modbus).
    const port = (client as unknown as { _port?: { on?: (event: string, fn: () => void) => void } })._port
    port?.on?.('error', () => {})
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, CLOSE_WAIT_MS)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      try {
        // TCP: destroy, because TcpPort.close() never calls back when the socket is already gone.
        if (bus.type === 'tcp') client.destroy(done)
        else client.close(done)
      } catch {
        done()
      }
    })
  }

  return {
    connect,
    get isOpen() {
      return current?.isOpen === true
    },
    readBits: (fn, unitId, address, count) =>
      request(async (c) => {
        c.setID(unitId)
        const result = fn === 'coil' ? await c.readCoils(address, count) : await c.readDiscreteInputs(address, count)
        return result.data.slice(0, count)
      }),
    readWords: (fn, unitId, address, count) =>
      request(async (c) => {
        c.setID(unitId)
        const result =
          fn === 'holding' ? await c.readHoldingRegisters(address, count) : await c.readInputRegisters(address, count)
        return result.data
      }),
    writeCoil: (unitId, address, bit) =>
      request(async (c) => {
        c.setID(unitId)
        await c.writeCoil(address, bit)
        return undefined
      }),
    writeWords: (unitId, address, words) =>
      request(async (c) => {
        c.setID(unitId)
        const [only] = words
        if (words.length === 1 && only !== undefined) await c.writeRegister(address, only)
        else await c.writeRegisters(address, [...words])
        return undefined
      }),
    close,
  }
}

function failed(reason: CommFaultReason, detail: string): { readonly ok: false } & ModbusFailure {
  return { ok: false, reason, detail }
}
