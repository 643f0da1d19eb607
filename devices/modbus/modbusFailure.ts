import type { CommFaultReason } from '../adapter.js'

/** Why a Modbus request or connect failed, in words a technician can act on (docs/requirements.md#modbus). */
export interface ModbusFailure {
  readonly reason: CommFaultReason
  readonly detail: string
  /** The exception code of an exception response (2 = illegal data address, ...). */
  readonly modbusCode?: number
}

/** The shape of the errors modbus-serial, serialport and node:net produce. */
interface WireError {
  readonly name?: unknown
  readonly message?: unknown
  readonly code?: unknown
  readonly errno?: unknown
  readonly modbusCode?: unknown
}

const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED', 'EIO', 'ENXIO'])

/**
 * Maps an error from modbus-serial (or the socket / serial port under it)
 * to a fault reason. Pure; the error texts matched here are modbus-serial
 * 8's (index.js: TransactionTimedOutError, PortNotOpenError, "CRC error",
 * `modbusCode` on exception responses).
 */
export function describeFailure(err: unknown, phase: 'connect' | 'request', timeoutMs: number): ModbusFailure {
  const e: WireError = typeof err === 'object' && err !== null ? (err as WireError) : {}
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(e.name ?? err)
  if (typeof e.modbusCode === 'number') {
    return { reason: 'modbus_exception', detail: message, modbusCode: e.modbusCode }
  }
  if (e.name === 'TransactionTimedOutError' || e.name === 'GuardTimeout') {
    const what = phase === 'connect' ? 'connect did not complete' : 'no answer'
    return {
      reason: phase === 'connect' ? 'connection_refused' : 'modbus_timeout',
      detail: `${what} within ${timeoutMs} ms`,
    }
  }
  if (/CRC/i.test(message)) return { reason: 'modbus_crc', detail: message }
  // a frame of the wrong length, or from another unit: garbled on the line like a CRC error
  if (/^(Data length error|Unexpected data error)/.test(message)) return { reason: 'modbus_crc', detail: message }
  if (e.name === 'PortNotOpenError') return { reason: 'connection_lost', detail: 'port not open' }
  if (e.code === 'ECONNREFUSED') return { reason: 'connection_refused', detail: message }
  if (typeof e.code === 'string' && LOST_CODES.has(e.code)) return { reason: 'connection_lost', detail: message }
  // anything else while opening (ENOENT serial path, EHOSTUNREACH, TCP connect timed out) means "cannot connect"
  return { reason: phase === 'connect' ? 'connection_refused' : 'connection_lost', detail: message }
}
