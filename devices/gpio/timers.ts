/**
 * Injected timers (docs/design.md#real-tests: fake the clock, not the world): debounce,
 * pulse patterns and restart back-off take these so tests step time by hand.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
  /**
   * Milliseconds on the clock the timers run on, only for differences
   * (monotonic for the system timers), so a delay computed from an elapsed
   * time moves with the same time a test steps.
   */
  now(): number
}

/** Opaque: whatever the Timers implementation returns. */
export type TimerHandle = unknown

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
}
