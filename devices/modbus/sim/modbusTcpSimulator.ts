import { type IServiceVector, ModbusServerTcp, type ServerTCP } from '../modbusSerialModule.js'
import { createRegisterTable, type RegisterTable, type SimDeviceSpec, type TableResult } from './registerTable.js'
import { createSimControls, type ModbusSimulator } from './simControls.js'

/**
 * A Modbus TCP device simulator on modbus-serial's ServerTCP (docs/requirements.md#simulation
 * simulators; simulation (docs/requirements.md#simulation)), serving register maps from an in-memory
 * table. One server can host several unit ids, like a TCP-to-RTU gateway.
 */

export interface ModbusTcpSimulatorOptions {
  /**
   * TCP port to listen on. Must be a real port: ServerTCP turns 0 into 502
   * (docs/design.md#known-traps), so pick a free one first.
   */
  readonly port: number
  /** Default 127.0.0.1. */
  readonly host?: string
  readonly devices: readonly SimDeviceSpec[]
}

export interface ModbusTcpSimulator extends ModbusSimulator {
  readonly port: number
  /** Listens again after stop(), on the same port, with the values it had. */
  start(): Promise<void>
}

type Callback<T> = (err: Error | null, value: T) => void
type WriteCallback = (err: Error | null) => void

export async function startModbusTcpSimulator(options: ModbusTcpSimulatorOptions): Promise<ModbusTcpSimulator> {
  if (!Number.isInteger(options.port) || options.port < 1) {
    throw new Error(`a Modbus TCP simulator needs a real port, got ${options.port} (ServerTCP turns 0 into 502)`)
  }
  const table = createRegisterTable(options.devices)
  const controls = createSimControls()
  const vector = serviceVector(table, controls)
  let server: ServerTCP | undefined

  async function start(): Promise<void> {
    if (server) return
    const created = new ModbusServerTcp(vector, { host: options.host ?? '127.0.0.1', port: options.port })
    await new Promise<void>((resolve, reject) => {
      created.on('initialized', () => resolve())
      created.on('serverError', (err) => reject(err ?? new Error('Modbus TCP simulator could not listen')))
    })
    // a client that vanishes mid-answer is normal for a simulator; without listeners these would be unhandled
    created.on('socketError', () => {})
    created.on('error', () => {})
    server = created
  }

  async function stop(): Promise<void> {
    const closing = server
    server = undefined
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()))
  }

  await start()
  return {
    port: options.port,
    start,
    stop,
    device: (unitId) => table.device(unitId),
    setDelayMs: controls.setDelayMs,
    setOnline: controls.setOnline,
  }
}

/**
 * ServerTCP's callback-style vector (its handlers pick the style by arity):
 * one call per address, answered after the simulated delay, an exception by
 * erroring with `modbusErrorCode`, and no answer at all for an offline unit.
 */
function serviceVector(table: RegisterTable, controls: ReturnType<typeof createSimControls>): IServiceVector {
  function answer<T>(unitId: number, cb: Callback<T>, lookup: () => TableResult<T>): void {
    if (!table.hasUnit(unitId) || !controls.isOnline(unitId)) return // silence, like a missing RTU slave
    const respond = () => {
      const result = lookup()
      if (result.ok) cb(null, result.value)
      else cb(Object.assign(new Error(`exception ${result.code}`), { modbusErrorCode: result.code }), undefined as T)
    }
    if (controls.delayMs > 0) setTimeout(respond, controls.delayMs)
    else respond()
  }
  const first = <T>(result: TableResult<T[]>): TableResult<T> =>
    result.ok ? { ok: true, value: result.value[0] as T } : result
  return {
    getCoil: (addr: number, unitId: number, cb: Callback<boolean>) =>
      answer(unitId, cb, () => first(table.readBits(unitId, 'coil', addr, 1))),
    getDiscreteInput: (addr: number, unitId: number, cb: Callback<boolean>) =>
      answer(unitId, cb, () => first(table.readBits(unitId, 'discrete', addr, 1))),
    getHoldingRegister: (addr: number, unitId: number, cb: Callback<number>) =>
      answer(unitId, cb, () => first(table.readWords(unitId, 'holding', addr, 1))),
    getInputRegister: (addr: number, unitId: number, cb: Callback<number>) =>
      answer(unitId, cb, () => first(table.readWords(unitId, 'input', addr, 1))),
    setCoil: (addr: number, value: boolean, unitId: number, cb: WriteCallback) =>
      answer(
        unitId,
        (err) => cb(err),
        () => table.writeBit(unitId, addr, value),
      ),
    setRegister: (addr: number, value: number, unitId: number, cb: WriteCallback) =>
      answer(
        unitId,
        (err) => cb(err),
        () => table.writeWords(unitId, addr, [value]),
      ),
  }
}
