import type { LocalizedText } from './alarm.js'
import { storeClockFields } from './storeClock.js'

const WEEKDAYS_ZH: Readonly<Record<string, string>> = {
  Mon: '周一',
  Tue: '周二',
  Wed: '周三',
  Thu: '周四',
  Fri: '周五',
  Sat: '周六',
  Sun: '周日',
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

/** The last due text made per time zone: a faulty terminal's notice asks again every rule tick. */
const lastDue = new Map<string, { readonly iso: string; readonly text: LocalizedText }>()

/**
 * A ticket's due time as customers read it on a notice (docs/requirements.md#customer-notices-say-when):
 * in the store's time zone whatever the host's, `10月2日（周五）12:00` / `Fri 2 Oct 12:00`.
 */
export function customerDueText(iso: string, timeZone: string): LocalizedText {
  const last = lastDue.get(timeZone)
  if (last?.iso === iso) return last.text
  const { month, day, weekday, hour, minute } = storeClockFields(Date.parse(iso), timeZone)
  const text = {
    'zh-CN': `${month}月${day}日（${WEEKDAYS_ZH[weekday] ?? weekday}）${hour}:${minute}`,
    en: `${weekday} ${day} ${MONTHS_EN[month - 1] ?? ''} ${hour}:${minute}`,
  }
  lastDue.set(timeZone, { iso, text })
  return text
}

/**
 * When the centre expects a power cut, system or network fault to be over, on the store's clock
 * (docs/requirements.md#network-fault): `12月7日 14:30` / `14:30 on 7 Dec`.
 */
export function localTime(at: number, timeZone: string): LocalizedText {
  const { month, day, hour, minute } = storeClockFields(at, timeZone)
  const hm = `${hour}:${minute}`
  return { 'zh-CN': `${month}月${day}日 ${hm}`, en: `${hm} on ${day} ${MONTHS_EN[month - 1] ?? ''}` }
}
