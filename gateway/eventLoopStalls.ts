import { performance } from 'node:perf_hooks'
import { Gauge, Histogram, type Registry } from 'prom-client'

/** How often the watch looks at the clock; a stall shorter than this may go unseen. */
const PERIOD_MS = 10
/** Stalls shorter than this are the loop's ordinary jitter: not counted. */
const NOTICE_MS = 1

/** process.threadCpuUsage is Node ≥ 23.9 (package.json allows 22.12): the whole process's time is the next best. */
const mainThreadCpu: () => NodeJS.CpuUsage =
  typeof process.threadCpuUsage === 'function' ? () => process.threadCpuUsage() : () => process.cpuUsage()

export interface EventLoopStallWatch {
  readonly name: 'event-loop stalls'
  start(): void
  stop(): void
}

/**
 * The longest event-loop tasks, on /metrics: an alarm waits behind whatever
 * task runs when its PUBLISH arrives (docs/performance.md: alarm p99 ≤ 5 ms at
 * 50 % load needs no task much longer than 2 ms on the hot path). A timer due
 * every PERIOD_MS notes how late it fires; that delay is the task (or GC pause)
 * that held the loop, give or take the period's phase, so over a busy minute
 * the maximum is the longest task. On a machine whose cores are shared
 * (the bench's, a Pi running mosquitto and zigbee2mqtt too) the timer is also
 * late while the OS runs other processes; so a stall counts only the CPU time
 * the gateway's main thread used in it (process.threadCpuUsage), never more than the delay.
 *
 * - `storeguard_event_loop_stall_seconds`: a histogram of stalls of 1 ms and more;
 * - `storeguard_event_loop_stall_max_seconds`: the longest since the last scrape
 *   (each scrape starts a new window), which the bench reads around its latency runs.
 *
 * prom-client's `nodejs_eventloop_lag_*` (monitorEventLoopDelay) gives
 * percentiles of the same delay, but neither a count of long stalls nor a
 * window a reader can choose.
 */
export function watchEventLoopStalls(registry: Registry): EventLoopStallWatch {
  let maxMs = 0
  const stalls = new Histogram({
    name: 'storeguard_event_loop_stall_seconds',
    help: 'event-loop stalls of 1 ms and more: how late a 10 ms timer fired, counting only the CPU time the gateway used meanwhile (the task or GC pause that held the loop)',
    buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  })
  new Gauge({
    name: 'storeguard_event_loop_stall_max_seconds',
    help: 'the longest event-loop stall since the last scrape of /metrics',
    registers: [registry],
    collect() {
      this.set(maxMs / 1000)
      maxMs = 0
    },
  })
  let timer: NodeJS.Timeout | null = null
  let last = 0
  let lastCpu = mainThreadCpu()
  const look = () => {
    const now = performance.now()
    // one read per look (it runs 100 times a second): the CPU used since the last look is the difference
    const cpu = mainThreadCpu()
    const usedMs = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000
    lastCpu = cpu
    const lateMs = Math.min(now - last - PERIOD_MS, usedMs)
    last = now
    if (lateMs < NOTICE_MS) return
    if (lateMs > maxMs) maxMs = lateMs
    stalls.observe(lateMs / 1000)
  }
  return {
    name: 'event-loop stalls',
    start() {
      last = performance.now()
      lastCpu = mainThreadCpu()
      timer = setInterval(look, PERIOD_MS)
      // a watch, not work: it never holds the process up at stop
      timer.unref()
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
