import type { LocalizedText } from '../gateway/core/alarm.js'
import type { NoticeIntent, WithdrawNoticeIntent } from '../gateway/core/intent.js'
import type { NetworkFault } from '../gateway/core/networkFault.js'
import type { TextBook } from '../gateway/core/texts.js'
import type { TextTemplates } from './checklists/texts.js'
import { recoverySentence } from './recovery.js'

/** The staff notice of one declared network fault; the customer notice is `networkFaultKey(id)` alone. */
export const networkFaultKey = (faultId: string): string => `network_fault:${faultId}`
const staffKey = (faultId: string): string => `${networkFaultKey(faultId)}:staff`

/** The fault id in a network fault notice's key; null for any other notice. */
export function networkFaultIdOf(noticeKey: string): string | null {
  const prefix = networkFaultKey('')
  if (!noticeKey.startsWith(prefix) || noticeKey.endsWith(':staff')) return null
  return noticeKey.slice(prefix.length) || null
}

/**
 * A declared network fault (docs/requirements.md#network-fault) → a staff notice with the emergency
 * plan's script and a store-wide customer notice with the unified wording, both saying when service is
 * expected back. Posting again with the same id updates both (a new estimate).
 */
export function networkFaultNotices(
  fault: NetworkFault,
  texts: TextBook<TextTemplates>,
  timeZone: string,
): readonly NoticeIntent[] {
  const params = {
    area: fault.area,
    services: fault.services,
    recovery: recoverySentence(fault.expectedRecoveryAt, texts, timeZone),
  }
  const at = fault.expectedRecoveryAt
  const notice = (key: string, audience: 'staff' | 'customer', t: LocalizedText): NoticeIntent => ({
    type: 'notice',
    key,
    audience,
    zone: null,
    deviceId: null,
    texts: t,
    endsAt: null,
    ...(at === null ? {} : { expectedRecoveryAt: at }),
  })
  return [
    notice(staffKey(fault.id), 'staff', texts.text('network.staffNotice', params)),
    notice(networkFaultKey(fault.id), 'customer', texts.text('network.customerNotice', params)),
  ]
}

/** The centre clears the fault: both notices come down. */
export function networkFaultCleared(faultId: string): readonly WithdrawNoticeIntent[] {
  return [
    { type: 'withdraw_notice', key: staffKey(faultId) },
    { type: 'withdraw_notice', key: networkFaultKey(faultId) },
  ]
}
