import type { LocalizedText } from './alarm.js'

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

/** A moment's fields on the store's clock, read from one fixed-locale formatter per time zone. */
interface StoreClockFields {
  /** 1–12 */
  readonly month: number
  readonly day: number
  /** `Mon`…`Sun` */
  readonly weekday: string
  /** `00`–`23` */
  readonly hour: string
  readonly minute: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The fields come from one fixed-locale (en-GB, numeric month) formatter, so the words do not depend
 * on the host's ICU data; the month and weekday names are ours.
 */
function fieldsOf(at: number, timeZone: string): StoreClockFields {
  let fmt = formatters.get(timeZone)
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    })
    formatters.set(timeZone, fmt)
  }
  const parts = fmt.formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: part('weekday'),
    hour: part('hour'),
    minute: part('minute'),
  }
}

/** The last due text made per time zone: a faulty terminal's notice asks again every rule tick. */
const lastDue = new Map<string, { readonly iso: string; readonly text: LocalizedText }>()

/**
 * A ticket's due time as customers read it on a notice (docs/requirements.md#customer-notices-say-when):
 * in the store's time zone whatever the host's, `10月2日（周五）12:00` / `Fri 2 Oct 12:00`.
 */
export function customerDueText(iso: string, timeZone: string): LocalizedText {
  const last = lastDue.get(timeZone)
  if (last?.iso === iso) return last.text
  const { month, day, weekday, hour, minute } = fieldsOf(Date.parse(iso), timeZone)
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
  const { month, day, hour, minute } = fieldsOf(at, timeZone)
  const hm = `${hour}:${minute}`
  return { 'zh-CN': `${month}月${day}日 ${hm}`, en: `${hm} on ${day} ${MONTHS_EN[month - 1] ?? ''}` }
}
