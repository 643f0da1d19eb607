import type { LocalizedText } from '../gateway/core/alarm.js'
import { localTime } from '../gateway/core/customerTime.js'
import type { NoticeIntent } from '../gateway/core/intent.js'
import type { TextBook } from '../gateway/core/texts.js'
import type { TextTemplates } from './checklists/texts.js'
import type { RuleView } from './rule.js'

/**
 * What a fault's customer notice says about when service is back (docs/requirements.md#network-fault:
 * customer notices say when): the `{recovery}` sentence for the fault behind `key`, and the estimate
 * the notice keeps, if the centre gave one.
 */
export function recoveryOf(
  key: string,
  view: Pick<RuleView, 'recoveryEstimate' | 'texts' | 'timeZone'>,
): { readonly recovery: LocalizedText; readonly estimate: { readonly expectedRecoveryAt?: number } } {
  const at = view.recoveryEstimate(key)
  return {
    recovery: recoverySentence(at, view.texts, view.timeZone),
    estimate: at === null ? {} : { expectedRecoveryAt: at },
  }
}

/**
 * A fault's store-wide customer notice that says when service is back (docs/requirements.md#network-fault:
 * customer notices say when), and the memory of which estimate each posted notice said, so the rule
 * re-posts it only when the centre's estimate changes. A notice from before a restart is not
 * remembered: the first tick re-posts it if an estimate is known.
 */
export function createEstimatedNotices(textId: 'power.customerNotice' | 'system.customerNotice') {
  const said = new Map<string, number | null>()
  return {
    /** The notice for the fault behind `key`, shown in `zone`; store-wide, so no deviceId. */
    notice(key: string, zone: string, view: RuleView): NoticeIntent {
      const { recovery, estimate } = recoveryOf(key, view)
      said.set(key, view.recoveryEstimate(key))
      return {
        type: 'notice',
        key,
        audience: 'customer',
        zone,
        deviceId: null,
        texts: view.texts.text(textId, { recovery }),
        endsAt: null,
        ...estimate,
      }
    },
    /** Does the open fault behind `key` have an estimate its notice does not say yet? */
    estimateChanged(key: string, view: RuleView): boolean {
      if (view.openAlarm(key)?.conditionActive !== true) return false
      const at = view.recoveryEstimate(key)
      return said.has(key) ? said.get(key) !== at : at !== null
    },
  }
}

/**
 * "We expect service back by …" in the store's own clock when the time is known, else the promise to
 * tell (docs/requirements.md#network-fault: customer notices say when).
 */
export function recoverySentence(at: number | null, texts: TextBook<TextTemplates>, timeZone: string): LocalizedText {
  return at === null
    ? texts.text('recovery.unknown')
    : texts.text('recovery.expected', { time: localTime(at, timeZone) })
}
