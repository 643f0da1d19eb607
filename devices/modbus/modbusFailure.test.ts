import { describe, expect, it } from 'vitest'
import { describeFailure } from './modbusFailure.js'

/** modbus-serial builds some errors with plain constructor functions, not Error subclasses. */
function libraryError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return { name, message, ...extra }
}

describe('describeFailure', () => {
  it('calls an unanswered request a modbus timeout', () => {
    const err = libraryError('TransactionTimedOutError', 'Timed out', { errno: 'ETIMEDOUT' })
    expect(describeFailure(err, 'request', 300)).toEqual({
      reason: 'modbus_timeout',
      detail: 'no answer within 300 ms',
    })
  })

  it('calls an exception response a modbus exception and keeps its code', () => {
    const err = Object.assign(new Error('Modbus exception 2: Illegal data address'), { modbusCode: 2 })
    expect(describeFailure(err, 'request', 300)).toMatchObject({ reason: 'modbus_exception', modbusCode: 2 })
  })

  it('calls a bad checksum or a garbled frame a CRC fault', () => {
    expect(describeFailure(new Error('CRC error'), 'request', 300).reason).toBe('modbus_crc')
    expect(describeFailure(new Error('Data length error, expected 7 got 9'), 'request', 300).reason).toBe('modbus_crc')
  })

  it('calls a refused TCP connect connection_refused', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1502'), { code: 'ECONNREFUSED' })
    expect(describeFailure(err, 'connect', 300).reason).toBe('connection_refused')
  })

  it('calls a missing serial device connection_refused', () => {
    const err = Object.assign(new Error('Error: No such file or directory'), { code: 'ENOENT' })
    expect(describeFailure(err, 'connect', 300).reason).toBe('connection_refused')
  })

  it('calls a closed port or a reset connection connection_lost', () => {
    const notOpen = libraryError('PortNotOpenError', 'Port Not Open', { errno: 'ECONNREFUSED' })
    expect(describeFailure(notOpen, 'request', 300).reason).toBe('connection_lost')
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })
    expect(describeFailure(reset, 'request', 300).reason).toBe('connection_lost')
  })

  it('does not choke on things that are not errors', () => {
    expect(describeFailure(undefined, 'request', 300).reason).toBe('connection_lost')
    expect(describeFailure('boom', 'connect', 300)).toEqual({ reason: 'connection_refused', detail: 'boom' })
  })
})
