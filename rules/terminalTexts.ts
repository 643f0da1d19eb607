import type { LocalizedText } from '../gateway/core/alarm.js'
import { FAULT_CODE_LABELS } from '../gateway/core/faultCodes.js'
import type { RuleView } from './rule.js'

/**
 * What the terminal-fault rule says, in both languages: the alarm text, the
 * staff warning notice and the customer notice. The rule decides when; this
 * module only words it.
 */

const WARNING_TEXTS: Readonly<Record<string, LocalizedText>> = {
  paper_low: { 'zh-CN': '打印纸将用完，请及时补充', en: 'paper low, please refill' },
  ink_low: { 'zh-CN': '墨粉将用完，请及时更换', en: 'ink low, please replace' },
  cash_low: { 'zh-CN': '现金将用完，请及时补充', en: 'cash low, please refill' },
  card_stock_low: { 'zh-CN': '卡量不足，请及时补充', en: 'card stock low, please refill' },
  degraded: { 'zh-CN': '运行降级，请检查', en: 'degraded, please check' },
}

/**
 * The service-language rules (docs/requirements.md#service-language) 二十四/二十五 service language: apologise, say it
 * is being repaired. A template (docs/requirements.md#store-texts): a store may name `{terminal}`. The notice goes on
 * with when it should be back and where to go meanwhile (facilityTexts.ts,
 * docs/requirements.md#customer-notices-say-when).
 */
export const TERMINAL_CUSTOMER_NOTICE: LocalizedText = {
  'zh-CN': '抱歉，本机正在维修中，我们正在尽快修复，给您带来不便敬请谅解。',
  en: 'Sorry, this machine is being repaired; we are fixing it as fast as we can. We apologise for the inconvenience.',
}

export function faultMessages(
  name: string,
  where: LocalizedText,
  episode: { readonly codes: string; readonly offline: boolean },
  heartbeatSec: number,
): LocalizedText {
  if (episode.offline) {
    return {
      'zh-CN': `自助终端离线：${name}（${where['zh-CN']}）超过 ${heartbeatSec} 秒未上报`,
      en: `Terminal offline: ${name} in ${where.en} not heard from for over ${heartbeatSec} s`,
    }
  }
  const codes = episode.codes === '' ? [] : episode.codes.split(',')
  if (codes.length === 0) {
    return {
      'zh-CN': `自助终端故障：${name}（${where['zh-CN']}）报告故障`,
      en: `Terminal fault: ${name} in ${where.en} reports a fault`,
    }
  }
  const named = codes.map((c) => FAULT_CODE_LABELS[c] ?? { 'zh-CN': c, en: c })
  return {
    'zh-CN': `自助终端故障：${name}（${where['zh-CN']}）${named.map((n) => n['zh-CN']).join('、')}故障`,
    en: `Terminal fault: ${name} in ${where.en}: ${named.map((n) => n.en).join(', ')}`,
  }
}

/** The staff notice for a terminal's warnings, e.g. paper-low: a template filled with the terminal and its warnings. */
export const TERMINAL_WARNING_NOTICE: LocalizedText = {
  'zh-CN': '{terminal} {warnings}',
  en: '{terminal}: {warnings}',
}

/** The `{warnings}` of the warning notice: one phrase per warning, in each language. */
export function warningPhrases(warnings: readonly string[]): LocalizedText {
  const texts = warnings.map((w) => WARNING_TEXTS[w] ?? { 'zh-CN': `${w}，请检查`, en: `${w}, please check` })
  return {
    'zh-CN': texts.map((t) => t['zh-CN']).join('；'),
    en: texts.map((t) => t.en).join('; '),
  }
}

export function nameOf(id: string, view: RuleView): string {
  return view.device(id)?.name ?? id
}
