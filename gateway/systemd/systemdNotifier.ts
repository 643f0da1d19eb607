import { createRateLimitedLog, type Logger } from '../log.js'
import { execSystemdNotify, type NotifySpawn } from './notifySpawn.js'
import { watchdogIntervalMs } from './watchdogInterval.js'

/** Injected timers for the watchdog pings (tests step them by hand). */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

const systemIntervals: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
}

export interface SystemdNotifierOptions {
  readonly log: Logger
  /** Where NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv
  /** This process's pid, for WATCHDOG_PID; default process.pid. */
  readonly pid?: number
  /** Sends one notification; default runs the systemd-notify binary. */
  readonly spawn?: NotifySpawn
  readonly timers?: IntervalTimers
  /**
   * Further liveness checks before each watchdog ping (none yet). False skips
   * the ping, so systemd restarts the gateway once WatchdogSec passes without one.
   */
  readonly isAlive?: () => boolean
  /** For the bounded-rate failure log; default Date.now. */
  readonly now?: () => number
}

export interface SystemdNotifier {
  /** Whether systemd asked for notifications (NOTIFY_SOCKET is set); every method is a no-op otherwise. */
  readonly enabled: boolean
  /** Milliseconds between watchdog pings (half of WATCHDOG_USEC), or undefined when there is no watchdog. */
  readonly watchdogIntervalMs: number | undefined
  /** READY=1 with a STATUS= line for `systemctl status`, then the watchdog pings start. */
  ready(status: string): void
  /**
   * RELOADING=1 with MONOTONIC_USEC (sd_notify(3)): a config reload begins.
   * Resolves once sent (or failed), so `reloaded`'s READY=1 cannot overtake it; never rejects.
   */
  reloading(): Promise<void>
  /** READY=1 again after a reload, with a STATUS= line saying how it went. */
  reloaded(status: string): void
  /** STOPPING=1, and no more pings. Resolves once sent (or failed); never rejects. */
  stopping(): Promise<void>
}

/** Failures are logged at most once a minute per kind: a missing systemd-notify must not flood the journal. */
const FAILURE_LOG_INTERVAL_MS = 60_000

/**
 * The gateway's side of systemd's Type=notify and watchdog protocol (issue
 * item 2, sd_notify(3)). Node has no unix datagram sockets, so each message
 * is one run of `systemd-notify`, spawned asynchronously: a failed or slow
 * spawn is logged at a bounded rate and never reaches the gateway. The
 * pings come from a timer on the event loop, so a hung loop stops them:
 * that is the liveness proof systemd acts on.
 */
export function createSystemdNotifier(options: SystemdNotifierOptions): SystemdNotifier {
  const env = options.env ?? process.env
  const enabled = (env.NOTIFY_SOCKET ?? '') !== ''
  const intervalMs = enabled ? watchdogIntervalMs(env, options.pid ?? process.pid) : undefined
  const spawn = options.spawn ?? execSystemdNotify
  const timers = options.timers ?? systemIntervals
  const log = options.log.child({ mod: 'systemd' })
  const limited = createRateLimitedLog(log, FAILURE_LOG_INTERVAL_MS, options.now)
  let pinger: unknown
  let pingInFlight = false
  let stopped = false

  const send = (fields: readonly string[]): Promise<void> =>
    spawn(fields, env).catch((err: unknown) =>
      limited(`notify-failed:${fields[0]}`, { err, notification: fields[0] }, 'systemd notification failed'),
    )

  const ping = (): void => {
    if (options.isAlive && !options.isAlive()) {
      limited('watchdog-not-alive', {}, 'liveness check failed, watchdog ping withheld')
      return
    }
    // a ping still on its way when the next is due is skipped, never queued behind it
    if (pingInFlight) {
      limited('watchdog-stalled', {}, 'previous watchdog ping still running, skipped one')
      return
    }
    pingInFlight = true
    void send(['WATCHDOG=1']).finally(() => {
      pingInFlight = false
    })
  }

  if (enabled) log.info({ watchdogIntervalMs: intervalMs ?? null }, 'systemd notifications on')

  return {
    enabled,
    watchdogIntervalMs: intervalMs,
    ready(status) {
      if (!enabled || stopped) return
      void send(['READY=1', `STATUS=${status}`])
      if (intervalMs !== undefined && pinger === undefined) pinger = timers.setInterval(ping, intervalMs)
    },
    reloading() {
      if (!enabled || stopped) return Promise.resolve()
      // CLOCK_MONOTONIC in µs, the clock systemd compares it with; Node's hrtime reads that clock on Linux
      const usec = process.hrtime.bigint() / 1000n
      return send(['RELOADING=1', `MONOTONIC_USEC=${usec}`, 'STATUS=reloading the config'])
    },
    reloaded(status) {
      if (!enabled || stopped) return
      void send(['READY=1', `STATUS=${status}`])
    },
    stopping() {
      if (!enabled || stopped) return Promise.resolve()
      stopped = true
      if (pinger !== undefined) timers.clearInterval(pinger)
      pinger = undefined
      return send(['STOPPING=1', 'STATUS=stopping'])
    },
  }
}
