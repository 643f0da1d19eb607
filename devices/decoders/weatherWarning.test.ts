import { describe, expect, it } from 'vitest'
import { decodeWeatherWarning } from './weatherWarning.js'

const at = Date.parse('2026-07-01T08:00:00Z')
const decode = (payload: unknown) =>
  decodeWeatherWarning(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), at)

describe('weather warning decoder', () => {
  it('reads a rainstorm warning with its text and end time', () => {
    const r = decode({
      kind: 'Rainstorm',
      level: 'orange',
      text: '暴雨橙色预警',
      validUntil: '2026-07-01T18:00:00+08:00',
    })
    expect(r).toEqual({
      ok: true,
      warning: {
        kind: 'rainstorm',
        level: 'orange',
        text: '暴雨橙色预警',
        receivedAt: at,
        validUntil: Date.parse('2026-07-01T10:00:00Z'),
        cancelled: false,
      },
      invalid: [],
    })
  })

  it('reads a cancellation, with no text or end time', () => {
    const r = decode({ kind: 'typhoon', level: 'red', cancelled: true })
    expect(r.ok && r.warning).toMatchObject({ kind: 'typhoon', text: null, validUntil: null, cancelled: true })
  })

  it.each([
    ['malformed JSON', '{"kind": "rain', 'malformed_json'],
    ['not an object', '["rainstorm"]', 'not_an_object'],
    ['no kind', { level: 'blue' }, 'wrong_type'],
    ['an unknown level', { kind: 'rainstorm', level: 'purple' }, 'wrong_type'],
    ['an unreadable end time', { kind: 'rainstorm', level: 'blue', validUntil: 'tomorrow' }, 'wrong_type'],
    ['a cancelled flag that is not a boolean', { kind: 'rainstorm', level: 'blue', cancelled: 'yes' }, 'wrong_type'],
  ])('rejects %s with a reason', (_what, payload, reason) => {
    expect(decode(payload)).toMatchObject({ ok: false, reason })
  })

  it('uses a warning whose text is not a string, without the text, and reports the text', () => {
    const r = decode({ kind: 'rainstorm', level: 'blue', text: { zh: '暴雨' } })
    expect(r).toMatchObject({
      ok: true,
      warning: { kind: 'rainstorm', text: null },
      invalid: [{ metric: 'text', reason: 'wrong_type' }],
    })
  })

  it('takes a null text as no text, not as a bad one', () => {
    expect(decode({ kind: 'rainstorm', level: 'blue', text: null })).toMatchObject({ ok: true, invalid: [] })
  })
})
