// @ts-check
/**
 * The lower part of an alarm card, below its buttons: what reset still waits for, and the
 * emergency plan's checklist with its phone numbers as tap-to-call links. Below the buttons so
 * that on a phone the ack button is in view without scrolling past the checklist.
 */
import { resetWaits } from './alarmView.js'
import { h } from './dom.js'
import { CONDITION_LABELS, colon, pick, TEXT } from './i18n.js'
import { telSegments } from './telLinks.js'

/** @typedef {import('./types.js').Alarm} Alarm */
/** @typedef {import('./types.js').Lang} Lang */
/** @typedef {import('./types.js').LocalizedText} LocalizedText */

/**
 * @typedef {object} StepsContext
 * @property {Lang} lang
 * @property {string} role
 * @property {string | null} deviceType the alarm's device's type, for what its condition is called
 * @property {readonly string[]} numbers the numbers to link (telLinks.js callableNumbers)
 */

/**
 * @param {Alarm} alarm
 * @param {StepsContext} ctx
 */
export function renderSteps(alarm, ctx) {
  const { lang } = ctx
  const steps = alarm.checklist?.[lang] ?? alarm.checklist?.['zh-CN'] ?? []
  const waits = resetWaits(alarm, ctx.role).map((wait) => waitText(wait, ctx))
  return [
    waits.length > 0 && h('p', { class: 'reset-wait', 'data-testid': 'reset-wait', text: waits.join(' · ') }),
    steps.length > 0 && h('h4', { class: 'checklist-title', text: pick(TEXT.checklist, lang) }),
    steps.length > 0 &&
      h(
        'ol',
        { class: 'checklist' },
        steps.map((step) => h('li', {}, linked(step, ctx.numbers))),
      ),
  ]
}

/**
 * @param {'condition' | 'manager' | 'closes'} wait
 * @param {StepsContext} ctx
 * @returns {string}
 */
function waitText(wait, { lang, deviceType }) {
  if (wait === 'manager') return pick(TEXT.managerReset, lang)
  if (wait === 'closes') return pick(TEXT.closesItself, lang)
  const table = /** @type {Readonly<Record<string, LocalizedText>>} */ (CONDITION_LABELS)
  const condition = (deviceType && table[deviceType]) || TEXT.conditionActive
  return pick(TEXT.resetWaits, lang) + colon(lang) + pick(condition, lang)
}

/**
 * @param {string} step
 * @param {readonly string[]} numbers
 */
function linked(step, numbers) {
  return telSegments(step, numbers).map((part) =>
    typeof part === 'string' ? part : h('a', { class: 'tel', href: `tel:${part.tel}`, text: part.tel }),
  )
}
