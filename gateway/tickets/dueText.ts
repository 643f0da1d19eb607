import type { LocalizedText } from '../core/alarm.js'

const WEEKDAYS_ZH: Readonly<Record<string, string>> = {
  Mon: '周一',
  Tue: '周二',
  Wed: '周三',
  Thu: '周四',
  Fri: '周五',
  Sat: '周六',
  Sun: '周日',
}

/** Per time zone: the words (en-GB) and the month number (en-US), made once. */
const formatters = new Map<string, { readonly words: Intl.DateTimeFormat; readonly month: Intl.DateTimeFormat }>()

/**
 * A due time as customers read it on a notice (docs/requirements.md#customer-notices-say-when): in the
 * store's time zone whatever the host's, `10月2日（周五）12:00` / `Fri 2 Oct 12:00`. The fields come
 * from one fixed-locale formatter, so the words do not depend on the host's ICU data. Rules ask for
 * it on every tick, so each formatter is made once and read once per call
 * (docs/performance.md#idle-memory).
 */
export function customerDueText(iso: string, timeZone: string): LocalizedText {
  let fmt = formatters.get(timeZone)
  if (fmt === undefined) {
    fmt = {
      words: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
      month: new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric' }),
    }
    formatters.set(timeZone, fmt)
  }
  const date = new Date(iso)
  const parts = fmt.words.formatToParts(date)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  const monthNumber = Number(fmt.month.formatToParts(date).find((p) => p.type === 'month')?.value)
  const [weekday, day, month, hour, minute] = [
    part('weekday'),
    part('day'),
    part('month'),
    part('hour'),
    part('minute'),
  ]
  return {
    'zh-CN': `${monthNumber}月${day}日（${WEEKDAYS_ZH[weekday] ?? weekday}）${hour}:${minute}`,
    en: `${weekday} ${day} ${month} ${hour}:${minute}`,
  }
}
