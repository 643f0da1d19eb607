/**
 * Stops the gateway with the process that started it, for `npm start`: npm
 * forwards SIGTERM and SIGINT to the gateway (the script `exec`s it), but an
 * npm killed with SIGKILL, or a terminal closed under it, forwards nothing,
 * and the demo would keep its ports and its socat child. When a parent
 * exits, the kernel hands its children to init or a subreaper, so the
 * parent pid changes: that is the sign, polled since Linux sends nothing.
 * Only on request (`run --stop-with-parent`): a gateway started by systemd,
 * or with `nohup … &` from a shell that then exits, must keep running.
 */

export interface ParentWatchOptions {
  /** Called once, when the parent is gone. */
  readonly gone: () => void
  /** How often to look, ms. Default 250: a demo stops well within 2 s of its parent. */
  readonly intervalMs?: number
  /** The current parent pid. Default `process.ppid`, which asks the kernel each time. */
  readonly ppid?: () => number
  /**
   * The parent to watch, as read when the process began: a parent that dies while the config
   * loads must still count as gone. Default: the parent now.
   */
  readonly parent?: number
}

/** Starts watching; returns a function that stops watching. */
export function watchParent(options: ParentWatchOptions): () => void {
  const ppid = options.ppid ?? (() => process.ppid)
  const parent = options.parent ?? ppid()
  const timer = setInterval(() => {
    if (ppid() === parent) return
    clearInterval(timer)
    options.gone()
  }, options.intervalMs ?? 250)
  // the watch alone never keeps the process alive
  timer.unref()
  return () => clearInterval(timer)
}
