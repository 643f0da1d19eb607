/** What a reload needs from the running gateway and from systemd. */
export interface ReloadTarget {
  reload(): Promise<{ readonly result: string }>
}
export interface ReloadNotifier {
  reloading(): Promise<void>
  reloaded(status: string): void
}

export interface ReloadQueue {
  /** A reload is asked for (SIGHUP): run now, or once the one under way ends. */
  request(): void
  /** The gateway is up: reloads run from now on, one asked for while it started among them. */
  attach(target: ReloadTarget, notifier: ReloadNotifier): void
  /** Resolves once no reload runs or waits (tests, and a stop that wants a quiet gateway). */
  idle(): Promise<void>
  /** The gateway stops: no reload starts from now on, and this resolves once the one under way ended. */
  close(): Promise<void>
}

/**
 * Serializes config reloads: one at a time, and any number of requests while
 * one runs become one more after it, which reads the file as it is by then.
 * A request before the gateway is up is kept for when it is: the signal must
 * neither kill a starting gateway (Node's default for SIGHUP) nor be lost.
 * Under systemd each reload is framed by RELOADING=1 and READY=1.
 */
export function createReloadQueue(onError: (err: unknown) => void): ReloadQueue {
  let target: ReloadTarget | null = null
  let notifier: ReloadNotifier | null = null
  let wanted = false
  let running: Promise<void> | null = null
  let closed = false

  async function drain(): Promise<void> {
    while (wanted && target !== null && !closed) {
      wanted = false
      try {
        await notifier?.reloading()
        const outcome = await target.reload()
        notifier?.reloaded(`config reload ${outcome.result}`)
      } catch (err) {
        onError(err)
        notifier?.reloaded('config reload failed')
      }
    }
  }

  function kick(): void {
    if (running !== null || target === null || closed) return
    running = drain().finally(() => {
      running = null
    })
  }

  return {
    request() {
      wanted = true
      kick()
    },
    attach(t, n) {
      target = t
      notifier = n
      kick()
    },
    async idle() {
      while (running !== null) await running
    },
    // a reload reaching parts already stopped would restart their work (subscriptions, timers) after stop
    async close() {
      closed = true
      while (running !== null) await running
    },
  }
}
