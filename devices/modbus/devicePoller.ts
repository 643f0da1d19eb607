import type { Clock } from '../../gateway/core/clock.js'
import type { Logger } from '../../gateway/core/logger.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { AdapterOutput } from '../adapter.js'
import type { DeviceConfig } from '../deviceSchema.js'
import type { BusTurn, PolledDevice } from './busScheduler.js'
import type { ModbusResult } from './modbusClient.js'
import type { ModbusDeviceConfig, RegisterConfig } from './modbusSchema.js'
import { createPollHealth } from './pollHealth.js'
import { planReads, type ReadRequest, sliceFor } from './readPlanner.js'
import { decodeRegister, encodeRegister, isBitFunction, registerSpan } from './registerCodec.js'

export interface DevicePollerOptions {
  readonly store: string
  readonly device: DeviceConfig
  readonly modbus: ModbusDeviceConfig
  /** The resolved register map (profile + inline). */
  readonly registers: readonly RegisterConfig[]
  readonly output: AdapterOutput
  readonly clock: Clock
  readonly log: Logger
  /** The device was in fault under the poller this one replaces (a reload changed its entry). */
  readonly startInFault?: boolean
}

export interface DevicePoller extends PolledDevice {
  /** The bus job that writes `value` to the writable register of `metric`; reports `write_failed` itself. */
  writeJob(metric: string, value: ReadingValue): (turn: BusTurn) => Promise<void>
  /** In communication fault right now (reported, and not yet recovered). */
  readonly inFault: boolean
}

/**
 * Polls one Modbus device: reads its planned requests, decodes every
 * register into a Reading, and keeps its comm health (docs/requirements.md#modbus).
 */
export function createDevicePoller(options: DevicePollerOptions): DevicePoller {
  const { store, device, modbus, registers, output, clock, log } = options
  const health = createPollHealth(
    modbus.faultAfterFailures,
    (status) => output.commStatus(device.id, status),
    options.startInFault,
  )
  let plan = planReads(registers)
  let readsThroughGaps = true

  async function poll(turn: BusTurn): Promise<void> {
    for (const request of plan) {
      const result = await read(turn, request)
      if (!result.ok) {
        if (result.modbusCode === 2 && readsThroughGaps && spansUnmappedAddresses(request)) readOnlyMapped(request)
        health.failed(result)
        return // the device is not answering properly: do not spend more bus time on it this round
      }
      emit(request, result.value)
    }
    health.succeeded()
  }

  function read(turn: BusTurn, request: ReadRequest): Promise<ModbusResult<readonly (boolean | number)[]>> {
    const fn = request.function
    return isBitFunction(fn)
      ? turn.request((client) => client.readBits(fn, modbus.unitId, request.address, request.count))
      : turn.request((client) => client.readWords(fn, modbus.unitId, request.address, request.count))
  }

  /**
   * Some devices answer "illegal data address" for a read that spans an
   * unmapped register; reading through small gaps saves requests elsewhere,
   * so fall back to mapped addresses only for this device, once.
   */
  function readOnlyMapped(request: ReadRequest): void {
    readsThroughGaps = false
    plan = planReads(registers, { maxGap: 0 })
    log.warn({ deviceId: device.id, function: request.function, address: request.address }, 'read through gap refused')
  }

  function emit(request: ReadRequest, data: readonly (boolean | number)[]): void {
    const ts = clock.now()
    for (const register of request.registers) {
      const value = decodeRegister(register, sliceFor(request, data, register) as boolean[] | number[])
      if (typeof value === 'number' && !Number.isFinite(value)) {
        // a float register holding NaN or Infinity: counted like a JSON `1e999`
        output.rejected('out_of_range', { deviceId: device.id, detail: `${register.metric}: ${value} is not finite` })
        continue
      }
      const { id: deviceId, type: deviceType, zone } = device
      output.reading({ store, deviceId, deviceType, zone, metric: register.metric, value, ts, quality: 'good' })
    }
  }

  function writeJob(metric: string, value: ReadingValue): (turn: BusTurn) => Promise<void> {
    const register = registers.find((r) => r.metric === metric && r.writable)
    const encoded = register ? encodeRegister(register, value) : undefined
    return async (turn) => {
      if (register === undefined || encoded === undefined) {
        health.writeFailed(`${metric}: no writable register`)
        return
      }
      if (!encoded.ok) {
        health.writeFailed(`${metric}: ${encoded.detail}`)
        return
      }
      const target = encoded.value
      const result = await turn.request((client) =>
        target.kind === 'bit'
          ? client.writeCoil(modbus.unitId, register.address, target.bit)
          : client.writeWords(modbus.unitId, register.address, target.words),
      )
      if (!result.ok) health.writeFailed(`${metric}: ${result.reason}: ${result.detail}`)
      else log.debug({ deviceId: device.id, metric, value }, 'modbus write done')
    }
  }

  return {
    deviceId: device.id,
    pollMs: modbus.pollSec * 1000,
    poll,
    writeJob,
    get inFault() {
      return health.inFault
    },
  }
}

/** Whether a request also reads addresses no register maps. */
function spansUnmappedAddresses(request: ReadRequest): boolean {
  const mapped = new Set<number>()
  for (const r of request.registers) for (let i = 0; i < registerSpan(r); i++) mapped.add(r.address + i)
  return mapped.size < request.count
}
