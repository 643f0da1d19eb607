import { Counter, Gauge, type Registry } from 'prom-client'
import { loadGatewayTls } from '../config/listenerTls.js'
import { type ConfigProblem, forgetConfigValidator, type LoadedConfig, loadConfig } from '../config/loadConfig.js'
import { isoAt } from '../core/clock.js'
import { isStoreGuardError } from '../core/errors.js'
import type { ConfigStatus } from '../core/ports.js'
import type { Logger } from '../log.js'
import { secretValues } from '../logRedaction.js'
import { configChanges } from './configChanges.js'
import type { Lifecycle } from './lifecycle.js'
import { liveConfig } from './liveConfig.js'

/** How a reload ended; a metric label. */
export type ReloadResult = 'applied' | 'invalid' | 'failed'

export interface ReloadOutcome {
  readonly result: ReloadResult
  /** Paths now in force. */
  readonly applied: readonly string[]
  /** Paths that differ from the file but keep their running value until a restart. */
  readonly restartNeeded: readonly string[]
  /** Components whose reload threw (each logged by the lifecycle). */
  readonly failed: readonly string[]
  /** Why the file was refused; empty unless `invalid`. */
  readonly problems: readonly ConfigProblem[]
}

export interface ConfigReload {
  /** Re-reads the config file the gateway started from and applies what can change live; never throws. */
  reload(): Promise<ReloadOutcome>
  /** The config in force: the start config with every applied reload. */
  current(): LoadedConfig
  /** For `/healthz`: how the last reload went, and how many changes wait for a restart. */
  status(): ConfigStatus
}

/**
 * A config reload (docs/reload.md). The file is read and checked exactly as
 * at start, certificate files included; an invalid one changes nothing and
 * every problem is logged with its path. A valid one is compared with the
 * config in force: its live changes go to every component's `reload` hook,
 * its restart-only ones are logged at warn by path and keep their running
 * value — and are said again at each reload until the restart applies them.
 */
export function createConfigReload(options: {
  readonly config: LoadedConfig
  readonly life: Pick<Lifecycle, 'reload'>
  readonly log: Logger
  readonly registry: Registry
  /** The secrets the logger blanks: the new file's are added before anything of it can be logged. */
  readonly logSecrets?: string[]
  /** Reads and checks the file; default `loadConfig` and the listeners' certificates. */
  readonly load?: (file: string) => LoadedConfig
  /** For the time of the last reload; default Date.now. */
  readonly now?: () => number
}): ConfigReload {
  const log = options.log.child({ mod: 'reload' })
  const load = options.load ?? loadChecked
  const reloads = new Counter({
    name: 'storeguard_config_reloads_total',
    help: 'config reloads (SIGHUP), by result: applied, invalid (nothing changed), failed (a part could not take it)',
    labelNames: ['result'],
    registers: [options.registry],
  })
  const pending = new Gauge({
    name: 'storeguard_config_restart_pending',
    help: 'config settings changed in the file that keep their running value until a restart',
    registers: [options.registry],
  })
  let current = options.config
  /** Components whose last reload threw. */
  let unsettled: readonly string[] = []
  let status: ConfigStatus = { lastReload: null, restartPending: 0 }
  const ended = (outcome: ReloadOutcome, restartPending: number): ReloadOutcome => {
    status = { lastReload: { result: outcome.result, at: isoAt((options.now ?? Date.now)()) }, restartPending }
    reloads.inc({ result: outcome.result })
    pending.set(restartPending)
    return outcome
  }

  function refused(problems: readonly ConfigProblem[]): ReloadOutcome {
    for (const p of problems)
      log.error({ file: current.file, path: p.path, line: p.line, problem: p.message }, 'config problem')
    log.error({ file: current.file, problems: problems.length }, 'config invalid: kept running on the old one')
    const outcome: ReloadOutcome = { result: 'invalid', applied: [], restartNeeded: [], failed: [], problems }
    return ended(outcome, status.restartPending)
  }

  return {
    current: () => current,
    status: () => status,
    async reload() {
      let next: LoadedConfig
      try {
        next = load(current.file)
      } catch (err) {
        return refused(problemsOf(err))
      }
      for (const secret of secretValues(next))
        if (!options.logSecrets?.includes(secret)) options.logSecrets?.push(secret)
      const changes = configChanges(current, next)
      const applied = changes.filter((c) => c.live).map((c) => c.path)
      const restartNeeded = changes.filter((c) => !c.live).map((c) => c.path)
      for (const path of restartNeeded) log.warn({ path }, 'config change needs a restart: running value kept')
      const effective = liveConfig(current, next, changes)
      // A part that failed still runs its old settings though `current` moved on: until it takes the
      // config, every reload hands it again, so a reload with no changes retries it and still says failed.
      const failed = applied.length > 0 || unsettled.length > 0 ? await options.life.reload(effective) : []
      current = effective
      unsettled = failed
      const result: ReloadResult = failed.length > 0 ? 'failed' : 'applied'
      log.info({ result, applied, restartNeeded, ...(failed.length > 0 ? { failed } : {}) }, 'config reloaded')
      return ended({ result, applied, restartNeeded, failed, problems: [] }, restartNeeded.length)
    },
  }
}

/** As `storeguard validate` checks a file: the schema, the consistency checks and the listeners' certificates. */
function loadChecked(file: string): LoadedConfig {
  try {
    const config = loadConfig(file)
    loadGatewayTls(config)
    return config
  } finally {
    // needed again only at the next reload (docs/performance.md#idle-memory)
    forgetConfigValidator()
  }
}

/** Every problem a refused file has; an unreadable file or a bad certificate is one problem of the whole file. */
function problemsOf(err: unknown): ConfigProblem[] {
  const listed = (err as { problems?: ConfigProblem[] }).problems
  if (isStoreGuardError(err, 'config_invalid') && Array.isArray(listed)) return listed
  const message = err instanceof Error ? err.message : String(err)
  return [{ path: '', line: null, message }]
}
