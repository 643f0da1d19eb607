import { describe, expect, it } from 'vitest'
import { decodeMessage } from './decodeMessage.js'

const buf = (text: string): Buffer => Buffer.from(text, 'utf8')

describe('decoding a device message by its payload format', () => {
  it('decodes json as a generic object of metrics', () => {
    expect(decodeMessage('json', buf('{"smoke": true, "last_seen": "2026-11-23T10:00:00+08:00"}'), null)).toEqual({
      ok: true,
      metrics: [
        { metric: 'smoke', value: true },
        { metric: 'last_seen', value: '2026-11-23T10:00:00+08:00' },
      ],
      invalid: [],
    })
  })

  it('decodes zigbee2mqtt without its bookkeeping keys', () => {
    expect(
      decodeMessage('zigbee2mqtt', buf('{"smoke": true, "last_seen": "2026-11-23T10:00:00+08:00"}'), null),
    ).toEqual({
      ok: true,
      metrics: [{ metric: 'smoke', value: true }],
      invalid: [],
    })
  })

  it('decodes bare as one value for the metric the topic names', () => {
    expect(decodeMessage('bare', buf('ON'), 'pressed')).toEqual({
      ok: true,
      metrics: [{ metric: 'pressed', value: true }],
      invalid: [],
    })
  })

  it('calls a bare value with no metric "value"', () => {
    expect(decodeMessage('bare', buf('12'), null)).toEqual({
      ok: true,
      metrics: [{ metric: 'value', value: 12 }],
      invalid: [],
    })
  })

  it('passes the reject reason of the format through', () => {
    expect(decodeMessage('json', buf('{oops'), null)).toMatchObject({ ok: false, reason: 'malformed_json' })
    expect(decodeMessage('zigbee2mqtt', buf('[]'), null)).toMatchObject({ ok: false, reason: 'not_an_object' })
    expect(decodeMessage('bare', buf(''), 'smoke')).toMatchObject({ ok: false, reason: 'empty' })
  })
})
