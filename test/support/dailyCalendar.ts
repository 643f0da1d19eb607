import type { BusinessCalendar } from '../../gateway/calendar/businessCalendar.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/**
 * A stand-in business calendar for tests of what uses one (tickets, reports):
 * the same opening ranges every day, in a zone with a fixed UTC offset (no
 * DST, like Asia/Shanghai). The real calendars live in gateway/calendar/.
 */
export function dailyCalendar(
  ranges: readonly (readonly [openHour: number, closeHour: number])[] = [[9, 21]],
  offsetHours = 8,
  timeZone = 'Asia/Shanghai',
): BusinessCalendar {
  const offsetMs = offsetHours * HOUR_MS
  const dayStart = (ms: number) => Math.floor((ms + offsetMs) / DAY_MS) * DAY_MS - offsetMs
  /** Open intervals of the local day containing `ms` and the day after. */
  const intervalsFrom = (ms: number) =>
    [0, 1].flatMap((d) =>
      ranges.map(
        ([o, c]) => [dayStart(ms) + d * DAY_MS + o * HOUR_MS, dayStart(ms) + d * DAY_MS + c * HOUR_MS] as const,
      ),
    )

  const businessDayMs = ranges.reduce((sum, [o, c]) => sum + (c - o) * HOUR_MS, 0)
  return {
    id: 'store',
    timeZone,
    businessDayMs,
    addBusinessTime(startMs, durationMs) {
      let t = startMs
      let left = durationMs
      for (;;) {
        const day = dayStart(t)
        for (const [o, c] of ranges) {
          const from = Math.max(day + o * HOUR_MS, t)
          const close = day + c * HOUR_MS
          if (close <= from) continue
          if (left <= close - from) return from + left
          left -= close - from
          t = close
        }
        t = day + DAY_MS
      }
    },
    businessTimeBetween(fromMs, toMs) {
      let total = 0
      for (let day = dayStart(fromMs); day < toMs; day += DAY_MS) {
        for (const [o, c] of ranges) {
          total += Math.max(0, Math.min(toMs, day + c * HOUR_MS) - Math.max(fromMs, day + o * HOUR_MS))
        }
      }
      return total
    },
    nextOpening(afterMs) {
      for (const [open] of intervalsFrom(afterMs)) if (open > afterMs) return open
      return null
    },
    isOpen: (atMs) => intervalsFrom(atMs).some(([o, c]) => o <= atMs && atMs < c),
    yearsWithoutData: () => [],
  }
}
