import { describe, expect, it } from 'vitest'
import { cleanDeviceString, MAX_DEVICE_STRING_LENGTH } from './cleanDeviceString.js'

describe('cleaning a device string before anything stores or shows it', () => {
  it('leaves plain text, and text in other scripts, untouched', () => {
    expect(cleanDeviceString('printer,card_reader')).toEqual({ value: 'printer,card_reader', changes: [] })
    expect(cleanDeviceString('暴雨橙色预警 🌧')).toEqual({ value: '暴雨橙色预警 🌧', changes: [] })
    expect(cleanDeviceString('')).toEqual({ value: '', changes: [] })
  })

  it('turns tabs and line breaks into spaces, so words stay apart and no log line can be forged', () => {
    expect(cleanDeviceString('fault\nprinter\r\tscreen')).toEqual({
      value: 'fault printer  screen',
      changes: ['control_chars'],
    })
  })

  it('removes the other C0 controls, DEL and the C1 controls', () => {
    expect(cleanDeviceString('fa\u0000u\u0007lt\u001b[31m\u007f\u0085\u009b')).toEqual({
      value: 'fault[31m',
      changes: ['control_chars'],
    })
  })

  it('removes bidi embeddings, overrides and isolates, which would reorder what a screen shows', () => {
    for (const c of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(cleanDeviceString(`ok${c}tluaf`)).toEqual({ value: 'oktluaf', changes: ['bidi_override'] })
    }
  })

  it('replaces lone surrogates with U+FFFD and keeps surrogate pairs', () => {
    expect(cleanDeviceString('a\ud800b\udc00c')).toEqual({ value: 'a\ufffdb\ufffdc', changes: ['lone_surrogate'] })
    expect(cleanDeviceString('end\ud83d')).toEqual({ value: 'end\ufffd', changes: ['lone_surrogate'] })
    expect(cleanDeviceString('ok 😀').changes).toEqual([])
  })

  it('cuts a string at the bound without splitting a surrogate pair', () => {
    const long = cleanDeviceString('x'.repeat(MAX_DEVICE_STRING_LENGTH + 10))
    expect(long).toEqual({ value: 'x'.repeat(MAX_DEVICE_STRING_LENGTH), changes: ['too_long'] })
    const pair = cleanDeviceString(`abc😀`, 4)
    expect(pair).toEqual({ value: 'abc', changes: ['too_long'] })
  })

  it('reports every kind of cleaning a string needed, once each', () => {
    const cleaned = cleanDeviceString(`\u202estatus\n\u0000\ud800${'y'.repeat(300)}`)
    expect(cleaned.changes).toEqual(['control_chars', 'bidi_override', 'lone_surrogate', 'too_long'])
    expect(cleaned.value).toMatch(/^status \ufffdy+$/)
    expect(cleaned.value).toHaveLength(MAX_DEVICE_STRING_LENGTH)
  })
})
