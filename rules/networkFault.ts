import type { LocalizedText } from '../gateway/core/alarm.js'
import type { NoticeIntent, WithdrawNoticeIntent } from '../gateway/core/intent.js'
import type { NetworkFault } from '../gateway/core/networkFault.js'
import type { TextBook } from '../gateway/core/texts.js'
import type { TextTemplates } from './checklists/texts.js'

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
  const notice = (key: string, audience: 'staff' | 'customer', t: LocalizedText): NoticeIntent => ({
    type: 'notice',
    key,
    audience,
    zone: null,
    deviceId: null,
    texts: t,
    endsAt: null,
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

/**
 * "We expect service back by …" in the store's own clock when the time is known, else the promise to
 * tell (docs/requirements.md#network-fault: customer notices say when).
 */
export function recoverySentence(at: number | null, texts: TextBook<TextTemplates>, timeZone: string): LocalizedText {
  return at === null
    ? texts.text('recovery.unknown')
    : texts.text('recovery.expected', { time: localTime(at, timeZone) })
}

/** `12月7日 14:30` / `14:30 on 7 Dec`, in the store's time zone. */
export function localTime(at: number, timeZone: string): LocalizedText {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  const month = Number(part('month'))
  const hm = `${part('hour')}:${part('minute')}`
  const monthEn = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1] ?? ''
  return { 'zh-CN': `${month}月${Number(part('day'))}日 ${hm}`, en: `${hm} on ${Number(part('day'))} ${monthEn}` }
}
