/**
 * Every string a device (or a weather source) sends ends up somewhere a person
 * reads it or a program parses it: the API, the console, signage, the SQLite
 * journal, notifications, InfluxDB line protocol. A control character there
 * can forge a log line or a line-protocol record, a bidi override can make
 * `fault` read as `tluaf` on a screen, a lone surrogate is not valid UTF-8 on
 * the way out, and an unbounded string fills the journal. So device strings
 * are cleaned once, on the way in, and every later consumer can trust them.
 */

/** Longest device string kept, in UTF-16 code units; longer ones are cut. */
export const MAX_DEVICE_STRING_LENGTH = 256

/** What cleaning changed; the label of `storeguard_cleaned_strings_total`. */
export type CleaningReason = 'control_chars' | 'bidi_override' | 'lone_surrogate' | 'too_long'

export interface CleanedString {
  readonly value: string
  /** Empty when the string was clean already. */
  readonly changes: readonly CleaningReason[]
}

// Whitespace controls become a space, so `a\nb` stays two words rather than `ab`.
const WHITESPACE_CONTROLS = /[\t\n\r\v\f]/g
// C0 controls, DEL and C1 controls (U+0080–U+009F) have no business in a reading.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what this is for
const OTHER_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g
// Embeddings, overrides and isolates: they reorder what is shown after them.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** The fast path: most device strings are short ASCII words (`ok`, `printer,screen`). */
const PLAIN = /^[\u0020-\u007e]*$/

export function cleanDeviceString(raw: string, maxLength: number = MAX_DEVICE_STRING_LENGTH): CleanedString {
  if (raw.length <= maxLength && PLAIN.test(raw)) return { value: raw, changes: [] }
  const changes: CleaningReason[] = []
  let value = raw
  const controls = value.replace(WHITESPACE_CONTROLS, ' ').replace(OTHER_CONTROLS, '')
  if (controls !== value) changes.push('control_chars')
  value = controls
  const bidi = value.replace(BIDI_CONTROLS, '')
  if (bidi !== value) changes.push('bidi_override')
  value = bidi
  const surrogates = value.replace(LONE_SURROGATE, '\ufffd')
  if (surrogates !== value) changes.push('lone_surrogate')
  value = surrogates
  if (value.length > maxLength) {
    changes.push('too_long')
    // never cut a surrogate pair in half: that would make a lone surrogate again
    const cut = isHighSurrogate(value.charCodeAt(maxLength - 1)) ? maxLength - 1 : maxLength
    value = value.slice(0, cut)
  }
  return { value, changes }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}
