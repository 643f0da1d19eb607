import { performance } from 'node:perf_hooks'

/** How long one run of back-to-back device messages may hold the event loop (docs/performance.md). */
export const SLICE_MS = 2

/**
 * Runs `next` at once while the current run of work is shorter than
 * `sliceMs`, otherwise after the event loop has had a turn (setImmediate).
 *
 * mqtt.js handles the packets already read from its socket one after the
 * other through process.nextTick, which never returns to the event loop: a
 * backlog the broker hands over in one go (a reconnect, a burst) held the
 * loop for seconds on the bench (bench/README.md), timers, the API and the
 * alarms' own publishes behind it. Handing mqtt.js its acknowledgement
 * through this breaks such a run into slices; the order of messages and
 * acknowledgements is unchanged, since mqtt.js reads the next packet only
 * after the acknowledgement.
 */
export function createLoopSlices(sliceMs = SLICE_MS): (next: () => void) => void {
  /** When the current run of work began (performance.now()), or -1 between runs. */
  let started = -1
  const endRun = () => {
    started = -1
  }
  return (next) => {
    const now = performance.now()
    if (started < 0) {
      started = now
      // the run ends once the loop gets to its check phase, whichever way it got there
      setImmediate(endRun)
    } else if (now - started >= sliceMs) {
      started = -1
      setImmediate(next)
      return
    }
    next()
  }
}
