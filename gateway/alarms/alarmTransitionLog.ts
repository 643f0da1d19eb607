import type { Alarm } from '../core/alarm.js'
import type { AlarmAction } from '../core/events.js'
import type { Logger } from '../core/logger.js'

/**
 * One log line per committed alarm change — raised, acked, cleared, reset,
 * and the rest — so whoever watches the log (the demo's terminal, a store's
 * journald) sees each transition: which kind, which alarm, the state it is
 * now in and who or which rule moved it.
 *
 * A silent alarm (robbery, docs/requirements.md#robbery) is logged at debug
 * only, with its details, and writes nothing at info: not even a neutral
 * "an alarm changed". Such a line would still tell: it is the only alarm line
 * without a kind, and its time is the moment the panic button was pressed.
 * Info logs reach people and collectors the API hides robbery from (below
 * manager); a technician chasing a fault can turn debug on.
 */
export function logAlarmTransition(log: Logger, alarm: Alarm, action: AlarmAction, by: string): void {
  const line = { kind: alarm.kind, alarmId: alarm.id, action, state: alarm.state, by }
  if (alarm.silent) log.debug({ ...line, silent: true }, 'alarm transition')
  else log.info(line, 'alarm transition')
}
