import type { ApiUserConfig } from '../../gateway/config/schema.js'
import { StoreGuardError } from '../../gateway/core/errors.js'
import type { ApiServerDeps } from '../../gateway/http/apiServer.js'
import { createLogger } from '../../gateway/log.js'
import { createMetrics } from '../../gateway/metrics.js'

/**
 * The parts of the API server a route test does not look at: no alarms, devices or notices, a
 * healthy store, silent logs. A test spreads these and adds the routes it drives.
 */
export function quietApiDeps(users: readonly ApiUserConfig[]): ApiServerDeps {
  const fail = (): never => {
    throw new StoreGuardError('alarm_not_found', 'no alarms in this test')
  }
  return {
    users,
    alarms: { list: () => [], ack: fail, reset: fail, shelve: fail, history: () => [], get: () => undefined },
    devices: { list: () => [] },
    notices: { list: () => [] },
    health: () => ({ status: 'ok', store: 'test-store', uptimeSec: 1, broker: 'up', openAlarms: 0 }),
    metrics: createMetrics(),
    log: createLogger('silent'),
  }
}
