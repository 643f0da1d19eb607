// @ts-check
/**
 * Emergency numbers in a checklist step as tap-to-call links: on a phone, 119 is one tap away
 * from the step that says to call it. Pure, so it is unit-tested without a browser.
 */

/** Fire, police, ambulance: the numbers the emergency plans' checklists name. */
export const EMERGENCY_NUMBERS = ['119', '110', '120']

/** The hotline of a store whose snapshot names none (the default operator's, as rules/checklists/texts.ts fills it). */
export const DEFAULT_HOTLINE = '10086'

/**
 * The numbers to link: the emergency ones and the store's hotline (the snapshot's, else the default).
 * @param {string | null | undefined} hotline
 * @returns {string[]}
 */
export function callableNumbers(hotline) {
  const own = (typeof hotline === 'string' && hotline.trim() !== '' ? hotline : DEFAULT_HOTLINE).replace(/[\s-]/g, '')
  return /^\+?\d{3,15}$/.test(own) && !EMERGENCY_NUMBERS.includes(own) ? [...EMERGENCY_NUMBERS, own] : EMERGENCY_NUMBERS
}

/**
 * `text` cut into plain parts and `{ tel }` parts, one for each of `numbers` standing on its own
 * (not inside a longer number such as 11900, nor a quantity such as `120 秒`).
 * @param {string} text
 * @param {readonly string[]} numbers
 * @returns {(string | { tel: string })[]}
 */
export function telSegments(text, numbers) {
  if (numbers.length === 0) return [text]
  const escaped = [...numbers].sort((a, b) => b.length - a.length).map((n) => n.replace(/\+/g, '\\+'))
  // "120 秒" is a duration, not the ambulance: a number followed by a unit is left alone
  const pattern = new RegExp(
    `(?<![\\d+]|\\d\\.)(${escaped.join('|')})(?!\\.?\\d|\\s*(?:秒|分|小时|s\\b|sec|min|%|°))`,
    'g',
  )
  /** @type {(string | { tel: string })[]} */
  const parts = []
  let last = 0
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0
    if (at > last) parts.push(text.slice(last, at))
    parts.push({ tel: match[0] })
    last = at + match[0].length
  }
  if (last < text.length) parts.push(text.slice(last))
  return parts
}
