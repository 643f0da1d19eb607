/** A moment's fields on the store's clock (config `store.timeZone`), whatever the host's zone is. */
export interface StoreClockFields {
  readonly year: number
  /** 1–12 */
  readonly month: number
  readonly day: number
  /** `Mon`…`Sun` */
  readonly weekday: string
  /** `00`–`23` */
  readonly hour: string
  /** `00`–`59` */
  readonly minute: string
  readonly second: string
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The fields of `at` (ms) in `timeZone`, read from one fixed-locale (en-GB,
 * numeric month) formatter per zone, made once: every text the gateway writes
 * on the store's clock is built from these, so its words never depend on the
 * host's ICU data, and the rules' ticks build no formatter
 * (docs/performance.md#idle-memory).
 */
export function storeClockFields(at: number, timeZone: string): StoreClockFields {
  let fmt = formatters.get(timeZone)
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, fmt)
  }
  const parts = fmt.formatToParts(at)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: part('weekday'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  }
}
