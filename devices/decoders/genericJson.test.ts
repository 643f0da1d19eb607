import { describe, expect, it } from 'vitest'
import type { DecodeResult } from './decodeResult.js'
import { decodeGenericJson } from './genericJson.js'

const decode = (text: string): DecodeResult => decodeGenericJson(Buffer.from(text, 'utf8'))

function reasonOf(result: DecodeResult): string | null {
  return result.ok ? null : result.reason
}

describe('generic JSON device payloads', () => {
  it('turns each key of a JSON object into one metric with its value', () => {
    const result = decode('{"smoke": true, "battery": 87, "status": "ok"}')
    expect(result).toEqual({
      ok: true,
      metrics: [
        { metric: 'smoke', value: true },
        { metric: 'battery', value: 87 },
        { metric: 'status', value: 'ok' },
      ],
      invalid: [],
    })
  })

  it('keeps false, zero and empty strings, which are real readings', () => {
    const result = decode('{"smoke": false, "battery": 0, "fault_codes": ""}')
    expect(result.ok && result.metrics.map((m) => [m.metric, m.value])).toEqual([
      ['smoke', false],
      ['battery', 0],
      ['fault_codes', ''],
    ])
  })

  it('reads the good fields of a message and reports each bad one with its reason', () => {
    const result = decode(
      '{"smoke": true, "diag": {"fw": "1.2"}, "history": [1, 2], "blobs": [{"a": "b"}], "note": null, "temperature": 1e999, "battery": 90}',
    )
    expect(result.ok).toBe(true)
    expect(result.ok && result.metrics.map((m) => m.metric)).toEqual(['smoke', 'battery'])
    expect(result.ok && result.invalid.map((f) => [f.metric, f.reason])).toEqual([
      ['diag', 'wrong_type'],
      ['history', 'wrong_type'],
      ['blobs', 'wrong_type'],
      ['note', 'null_value'],
      ['temperature', 'out_of_range'],
    ])
  })

  it('reads a list of strings as the comma-separated string it stands for, in the order sent; [] is no codes', () => {
    const listed = decode('{"status": "fault", "fault_codes": ["printer", "card_reader"], "paper_low": false}')
    expect(listed).toEqual(decode('{"status": "fault", "fault_codes": "printer,card_reader", "paper_low": false}'))
    expect(listed.ok && listed.metrics).toEqual([
      { metric: 'status', value: 'fault' },
      { metric: 'fault_codes', value: 'printer,card_reader' },
      { metric: 'paper_low', value: false },
    ])
    expect(decode('{"status": "ok", "fault_codes": []}')).toEqual({
      ok: true,
      metrics: [
        { metric: 'status', value: 'ok' },
        { metric: 'fault_codes', value: '' },
      ],
      invalid: [],
    })
  })

  it('drops a list of strings with anything else in it as wrong_type, naming the key and the element, and keeps the rest', () => {
    for (const [text, element] of [
      ['{"status": "fault", "fault_codes": ["printer", 7]}', 'fault_codes[1] must be a string, got number'],
      ['{"fault_codes": [null, "screen"]}', 'fault_codes[0] must be a string, got null'],
      ['{"fault_codes": ["screen", {"code": "x"}]}', 'fault_codes[1] must be a string, got object'],
      ['{"fault_codes": ["screen", ["x"]]}', 'fault_codes[1] must be a string, got array'],
    ] as const) {
      const result = decode(text)
      expect(result.ok && result.invalid, text).toEqual([
        { metric: 'fault_codes', reason: 'wrong_type', detail: element },
      ])
      expect(result.ok && result.metrics.every((m) => m.metric !== 'fault_codes'), text).toBe(true)
    }
    const partial = decode('{"status": "fault", "fault_codes": ["printer", 7]}')
    expect(partial.ok && partial.metrics).toEqual([{ metric: 'status', value: 'fault' }])
  })

  it('rejects an empty object as empty: a message with nothing in it is not a reading', () => {
    expect(reasonOf(decode('{}'))).toBe('empty')
  })

  it('rejects text that is not JSON as malformed_json', () => {
    for (const text of ['{"smoke": tru', 'smoke=true', "{'smoke': true}", '{"a":1,}']) {
      expect(reasonOf(decode(text)), text).toBe('malformed_json')
    }
  })

  it('rejects JSON that is not an object (array, null, number, string, boolean) as not_an_object', () => {
    for (const text of ['[{"smoke": true}]', '[]', 'null', '42', '"smoke"', 'true']) {
      expect(reasonOf(decode(text)), text).toBe('not_an_object')
    }
  })

  it('says what it got instead of an object', () => {
    const array = decode('[1]')
    const nil = decode('null')
    expect(!array.ok && array.detail).toContain('array')
    expect(!nil.ok && nil.detail).toContain('null')
  })

  it('rejects an empty payload as empty', () => {
    expect(reasonOf(decodeGenericJson(Buffer.alloc(0)))).toBe('empty')
  })
})
