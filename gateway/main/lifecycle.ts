import type { LoadedConfig } from '../config/loadConfig.js'
import type { Logger } from '../log.js'

/** One part of the running gateway, as the lifecycle sees it: every hook is optional. */
export interface Component {
  readonly name: string
  start?(): Promise<void> | void
  stop?(): Promise<void> | void
  /** Time-based work, called once a tick with the gateway's clock. */
  tick?(now: number): void
  /**
   * A new, already validated config while running (a reload): the component
   * takes what it can change live. Absent: the component keeps its start config.
   */
  reload?(next: LoadedConfig): Promise<void> | void
}

/** Rules with hold times and heartbeats, shelves, SLAs and escalations are ticked this often. */
export const TICK_MS = 1000

/**
 * Starts each component in order and adds it to `started` once its start has
 * completed, so a stop after a failed start stops only what is running. The
 * first start that throws ends the run and is rethrown.
 */
export async function startComponents(components: readonly Component[], started: Component[]): Promise<void> {
  for (const component of components) {
    await component.start?.()
    started.push(component)
  }
}

/**
 * Stops `started` in reverse order: whatever was started on top of another part
 * is stopped before it. A stop that throws is logged and the rest still stop,
 * so one stuck sink cannot leave the broker or the journal open; the failure
 * is rethrown at the end, so the caller still sees the stop failed.
 */
export async function stopComponents(started: readonly Component[], log: Pick<Logger, 'error'>): Promise<void> {
  const failed: { name: string; err: unknown }[] = []
  for (const component of [...started].reverse()) {
    try {
      await component.stop?.()
    } catch (err) {
      log.error({ err, component: component.name }, 'component failed to stop')
      failed.push({ name: component.name, err })
    }
  }
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map((f) => f.err),
      `failed to stop: ${failed.map((f) => f.name).join(', ')}`,
    )
  }
}

/**
 * Hands `next` to every started component that reloads, in start order, so a
 * part sees the new config only after the parts it is built on. A reload that
 * throws is logged and the rest still reload: one part that cannot take the
 * change must not leave the others on the old config. Returns the names of
 * those that failed.
 */
export async function reloadComponents(
  started: readonly Component[],
  next: LoadedConfig,
  log: Pick<Logger, 'error'>,
): Promise<string[]> {
  const failed: string[] = []
  for (const component of started) {
    try {
      await component.reload?.(next)
    } catch (err) {
      log.error({ err, component: component.name }, 'component failed to reload')
      failed.push(component.name)
    }
  }
  return failed
}

/**
 * The gateway's one ticker: every component's tick, in start order, each
 * `tickMs`. `components` is read at every tick, so parts started after the
 * ticker are ticked too. Unref'd: a tick never keeps the process alive.
 * Returns the function that stops it.
 */
export function startTicker(components: readonly Component[], now: () => number, tickMs = TICK_MS): () => void {
  const timer = setInterval(() => {
    const at = now()
    for (const component of components) component.tick?.(at)
  }, tickMs)
  timer.unref()
  return () => clearInterval(timer)
}

export interface Lifecycle {
  /** Starts these components now, in order, after those started before. */
  start(...components: Component[]): Promise<void>
  /** Starts the one ticker over every started component; once. */
  startTicker(): void
  /** Hands a new config to every started component that reloads; the names of those that failed. */
  reload(next: LoadedConfig): Promise<string[]>
  /** The ticker first, then every started component in reverse start order; once. */
  stop(): Promise<void>
}

export function createLifecycle(options: {
  readonly now: () => number
  readonly log: Pick<Logger, 'error'>
  readonly tickMs?: number
}): Lifecycle {
  const started: Component[] = []
  let stopTicker: (() => void) | null = null
  let stopped = false
  return {
    start: (...components) => startComponents(components, started),
    startTicker() {
      stopTicker ??= startTicker(started, options.now, options.tickMs)
    },
    reload: (next) => reloadComponents(started, next, options.log),
    async stop() {
      if (stopped) return
      stopped = true
      stopTicker?.()
      await stopComponents(started, options.log)
    },
  }
}
