import { describe, expect, it } from 'vitest'
import type { RegisterConfig } from '../modbusSchema.js'
import { createRegisterTable } from './registerTable.js'
import { crc16, crcMatches, scanRequest, withCrc } from './rtuFrame.js'
import { answerRequest } from './rtuSlave.js'

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex')

function reg(
  metric: string,
  fn: RegisterConfig['function'],
  address: number,
  type: RegisterConfig['type'],
): RegisterConfig {
  return {
    metric,
    function: fn,
    address,
    type,
    wordOrder: 'big',
    byteOrder: 'big',
    scale: 1,
    offset: 0,
    writable: false,
  }
}

describe('RTU framing', () => {
  it('computes the CRC of the Modbus specification example (01 03 00 00 00 0A → C5 CD)', () => {
    expect(crc16(hex('01 03 00 00 00 0A'))).toBe(0xcdc5)
    expect(withCrc(hex('01 03 00 00 00 0A'))).toEqual(hex('01 03 00 00 00 0A C5 CD'))
    expect(crcMatches(hex('01 03 00 00 00 0A C5 CE'))).toBe(false)
  })

  it('cuts a read request by its length and keeps what follows', () => {
    const scan = scanRequest(hex('01 03 00 00 00 0A C5 CD 02'))
    expect(scan).toEqual({ kind: 'frame', frame: hex('01 03 00 00 00 0A C5 CD'), rest: hex('02') })
  })

  it('waits for the rest of a frame', () => {
    expect(scanRequest(hex('01 03 00 00'))).toEqual({ kind: 'incomplete' })
    expect(scanRequest(withCrc(hex('01 10 00 00 00 02 04 00 01 00 02'))).kind).toBe('frame')
    expect(scanRequest(hex('01 10 00 00 00 02 04 00')).kind).toBe('incomplete')
  })

  it('drops a byte of noise to find the next frame', () => {
    const scan = scanRequest(hex('FF 01 03 00 00 00 0A C5'))
    expect(scan.kind).toBe('garbage')
  })
})

describe('RTU slave', () => {
  const table = createRegisterTable([
    {
      unitId: 7,
      registers: [
        reg('level', 'holding', 0, 'int16'),
        reg('relay', 'coil', 0, 'bool'),
        reg('ok', 'discrete', 2, 'bool'),
      ],
      initial: { level: -2, ok: true },
    },
  ])

  it('answers a holding-register read', () => {
    expect(answerRequest(table, withCrc(hex('07 03 00 00 00 01')))).toEqual(withCrc(hex('07 03 02 FF FE')))
  })

  it('answers a discrete-input read with bits LSB first', () => {
    expect(answerRequest(table, withCrc(hex('07 02 00 00 00 03')))).toEqual(withCrc(hex('07 02 01 04')))
  })

  it('answers a read past the map with exception 2, illegal data address', () => {
    expect(answerRequest(table, withCrc(hex('07 03 00 05 00 01')))).toEqual(withCrc(hex('07 83 02')))
  })

  it('answers an unsupported function with exception 1', () => {
    expect(answerRequest(table, withCrc(hex('07 2B 0E 01 00')))).toEqual(withCrc(hex('07 AB 01')))
  })

  it('writes a coil and echoes the request', () => {
    expect(answerRequest(table, withCrc(hex('07 05 00 00 FF 00')))).toEqual(withCrc(hex('07 05 00 00 FF 00')))
    expect(table.device(7).get('relay')).toBe(true)
  })

  it('stays silent for another unit id', () => {
    expect(answerRequest(table, withCrc(hex('08 03 00 00 00 01')))).toBeUndefined()
  })
})
