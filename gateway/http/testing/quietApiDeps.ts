import { StoreGuardError } from '../../core/errors.js'
import type { AlarmCommands } from '../../core/ports.js'
import { createLogger } from '../../log.js'
import { createMetrics } from '../../metrics.js'
import type { ApiServerDeps } from '../apiServer.js'

/** An alarm command for a server with no alarms: every id is unknown. */
export const noSuchAlarm = (): never => {
  throw new StoreGuardError('alarm_not_found', 'none here')
}

/** The alarm commands of a store with no alarms; spread it to give one command a body. */
export const noAlarms: AlarmCommands = {
  list: () => [],
  ack: noSuchAlarm,
  reset: noSuchAlarm,
  shelve: noSuchAlarm,
  history: () => [],
  get: () => undefined,
}

/**
 * What `createApiServer` needs for a test that cares about one part of it:
 * no alarms, devices or notices, a healthy store `s1`, fresh metrics, a
 * silent log. The test passes the users and whatever it is about.
 */
export function quietApiDeps(deps: Partial<ApiServerDeps> & Pick<ApiServerDeps, 'users'>): ApiServerDeps {
  return {
    alarms: noAlarms,
    devices: { list: () => [] },
    notices: { list: () => [] },
    health: () => ({ status: 'ok', store: 's1', uptimeSec: 1, broker: 'up', openAlarms: 0 }),
    metrics: createMetrics(),
    log: createLogger('silent'),
    ...deps,
  }
}
