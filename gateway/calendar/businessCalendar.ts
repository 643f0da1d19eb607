/**
 * A business calendar (docs/requirements.md#business-calendars): when the store's SLA clock runs. Every
 * method works in epoch milliseconds; the calendar knows its own time zone.
 */
export interface BusinessCalendar {
  readonly id: 'store' | 'cn-workdays'
  readonly timeZone: string
  /** One business day, in ms: "2 business days" = 2 × this. */
  readonly businessDayMs: number
  /** The instant `durationMs` of open time after `startMs`; if closed at `startMs`, the clock waits for the next opening. */
  addBusinessTime(startMs: number, durationMs: number): number
  /** Open time between two instants (0 if `toMs` ≤ `fromMs`). */
  businessTimeBetween(fromMs: number, toMs: number): number
  /** The next opening strictly after `afterMs`, or null if none within a year. */
  nextOpening(afterMs: number): number | null
  /** Whether the calendar is open at `atMs`. */
  isOpen(atMs: number): boolean
  /**
   * Years the calendar has no real data for (cn-workdays beyond the shipped
   * holiday data), among those `fromMs`..`toMs` touch: it falls back to
   * Monday–Friday for them, and says so loudly.
   */
  yearsWithoutData(fromMs: number, toMs: number): number[]
}
