import { describe, expect, it } from 'vitest'
import { uplinkKindOf, withMessageId } from './uplinkMessages.js'

const P = 'storeguard/test-store'
const MSG_ID = '0f8fad5b-d9cb-469f-a165-70867728950e'

describe('which of the gateway’s messages go to the centre', () => {
  it('sends alarm, notice and ticket state as retained state, and the event stream as events', () => {
    expect(uplinkKindOf(P, `${P}/alarms/a-1`)).toBe('state')
    expect(uplinkKindOf(P, `${P}/notices/n-1`)).toBe('state')
    expect(uplinkKindOf(P, `${P}/tickets/t-1`)).toBe('state')
    expect(uplinkKindOf(P, `${P}/reports/pre-opening`)).toBe('state')
    expect(uplinkKindOf(P, `${P}/events`)).toBe('event')
  })

  it('keeps the gateway status, siren and relay commands and deeper topics in the store', () => {
    expect(uplinkKindOf(P, `${P}/gateway/status`)).toBeNull()
    expect(uplinkKindOf(P, `${P}/devices/siren-1/set`)).toBeNull()
    expect(uplinkKindOf(P, `${P}/devices/smoke-1/state`)).toBeNull()
    expect(uplinkKindOf(P, `${P}/alarms/a/b`)).toBeNull()
    expect(uplinkKindOf(P, `${P}/alarms/`)).toBeNull()
    expect(uplinkKindOf(P, `${P}/events/extra`)).toBeNull()
    expect(uplinkKindOf(P, P)).toBeNull()
  })

  it('does not take another store whose id only begins like this one’s', () => {
    expect(uplinkKindOf(P, 'storeguard/test-store2/events')).toBeNull()
    expect(uplinkKindOf(P, 'storeguard/test-store2/alarms/a-1')).toBeNull()
    expect(uplinkKindOf(P, 'other/test-store/events')).toBeNull()
  })
})

describe('the deduplication id stamped into a payload', () => {
  it('puts msgId first in a JSON object and keeps every other field as it was', () => {
    const original = { id: 'a-1', kind: 'fire', details: { zone: 'hall', n: [1, 2] }, note: 'a "quoted" note, {}' }
    const stamped = withMessageId(JSON.stringify(original), MSG_ID)
    const parsed = JSON.parse(stamped.toString('utf8'))
    expect(parsed).toEqual({ msgId: MSG_ID, ...original })
    expect(Object.keys(parsed)[0]).toBe('msgId')
  })

  it('stamps an object given as a Buffer, with non-ASCII text intact', () => {
    const stamped = withMessageId(Buffer.from(JSON.stringify({ message: '火警 大厅' })), MSG_ID)
    expect(JSON.parse(stamped.toString('utf8'))).toEqual({ msgId: MSG_ID, message: '火警 大厅' })
  })

  it('turns an empty object into an object with only the msgId', () => {
    expect(JSON.parse(withMessageId('{}', MSG_ID).toString())).toEqual({ msgId: MSG_ID })
    expect(JSON.parse(withMessageId('{ }', MSG_ID).toString())).toEqual({ msgId: MSG_ID })
  })

  it('gives each message its own id unless one is given', () => {
    const a = JSON.parse(withMessageId('{"x":1}').toString()).msgId
    const b = JSON.parse(withMessageId('{"x":1}').toString()).msgId
    expect(a).toMatch(/^[0-9a-f-]{36}$/)
    expect(b).not.toBe(a)
  })

  it('sends the empty payload that removes a retained topic, and a plain string, unchanged', () => {
    expect(withMessageId('', MSG_ID)).toEqual(Buffer.alloc(0))
    expect(withMessageId(Buffer.alloc(0), MSG_ID)).toEqual(Buffer.alloc(0))
    expect(withMessageId('online', MSG_ID).toString()).toBe('online')
    expect(withMessageId('[1,2]', MSG_ID).toString()).toBe('[1,2]')
  })

  it('sends a Buffer that is not a JSON object byte for byte, even when it is not UTF-8', () => {
    const binary = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80])
    expect(withMessageId(binary, MSG_ID)).toEqual(binary)
  })
})
