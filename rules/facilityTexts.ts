import type { LocalizedText } from '../gateway/core/alarm.js'
import type { RuleView } from './rule.js'

/**
 * What customers read on a faulty facility (docs/requirements.md#customer-notices-say-when): the
 * apology, when it should be back, and where to go meanwhile, in the service language
 * (docs/requirements.md#service-language). Each part is a store text (docs/requirements.md#store-texts).
 */

/** The opening of a customer-facing facility's notice other than a terminal's (`{facility}`: its name). */
export const FACILITY_CUSTOMER_NOTICE: LocalizedText = {
  'zh-CN': '抱歉，{facility}正在维修中，我们正在尽快修复，给您带来不便敬请谅解。',
  en: 'Sorry, {facility} is being repaired; we are fixing it as fast as we can. We apologise for the inconvenience.',
}

/** The open ticket's due time, in the store's time zone (`{due}`). */
export const EXPECTED_RECOVERY: LocalizedText = {
  'zh-CN': '预计于 {due} 前恢复使用。',
  en: 'It should be back in service by {due}.',
}

/** Another terminal of the store is up (`{terminal}`: its name). */
export const USE_OTHER_TERMINAL: LocalizedText = {
  'zh-CN': '请您移步{terminal}办理。',
  en: 'Meanwhile, please use {terminal}.',
}

/** No other working terminal: the staffed counters. */
export const USE_COUNTER: LocalizedText = {
  'zh-CN': '请您移步人工柜台办理。',
  en: 'Meanwhile, please use a staffed counter.',
}

/**
 * The whole customer notice: `opening`, then the due time of the device's open ticket when it has
 * one, then the alternative — `otherTerminal` when one is up, else the counter.
 */
export function customerNoticeTexts(
  view: RuleView,
  deviceId: string,
  opening: LocalizedText,
  otherTerminal: string | null,
): LocalizedText {
  const due = view.openTicketDue(deviceId)
  const parts = [opening]
  if (due !== undefined) parts.push(view.texts.text('facility.expectedRecovery', { due }))
  parts.push(
    otherTerminal === null
      ? view.texts.text('facility.useCounter')
      : view.texts.text('facility.useOtherTerminal', { terminal: otherTerminal }),
  )
  return {
    'zh-CN': parts.map((p) => p['zh-CN']).join(''),
    en: parts.map((p) => p.en).join(' '),
  }
}
