import type { LoadedConfig } from './config/loadConfig.js'
import type { Alarm } from './core/alarm.js'
import type { Clock } from './core/clock.js'
import type { AlarmFloodEvent, EventBus } from './core/events.js'
import { createAlarmFloodDetector } from './engine/alarmFloodDetector.js'
import { createAnnunciator } from './outputs/annunciator.js'
import type { OutputArbiter } from './outputs/arbiter.js'

/** How often the alarm-flood window is re-checked for its end. */
const TICK_MS = 1000

/**
 * What follows an alarm change, synchronously on the event bus: sirens and
 * strobes (annunciator), and the alarm-flood summary for managers.
 */
export function wireAlarmSideEffects(
  config: LoadedConfig,
  events: EventBus,
  openAlarms: () => Iterable<Alarm>,
  outputs: Pick<OutputArbiter, 'request' | 'resync'>,
  publishEvent: (event: AlarmFloodEvent) => void,
  clock: Clock,
): () => void {
  const idsOfType = (type: 'siren' | 'strobe') => config.devices.filter((d) => d.type === type).map((d) => d.id)
  const annunciator = createAnnunciator({
    sirens: config.outputs.fire.sirens ?? idsOfType('siren'),
    strobes: config.outputs.fire.strobes ?? idsOfType('strobe'),
    arbiter: outputs,
  })
  const flood = createAlarmFloodDetector(config.alarms)
  const floodSummary = (summary: ReturnType<typeof flood.tick>) => {
    if (!summary) return
    publishEvent(summary)
    events.emit(summary)
  }
  events.subscribe((event) => {
    if (event.type !== 'alarm') return
    annunciator.update(openAlarms())
    // a silent alarm (robbery) is for security alone: counted, it would show in the summary that goes
    // to managers' channels (docs/requirements.md#robbery); and it is never annunciated, so it adds nothing to staff's load
    if (event.action === 'raised' && !event.alarm.silent) floodSummary(flood.raised(event.alarm.kind, clock.now()))
  })
  const floodTimer = setInterval(() => floodSummary(flood.tick(clock.now())), TICK_MS)
  floodTimer.unref()
  // once every output adapter is there: outputs start in a known state, so the first change they see is real
  return () => {
    annunciator.update(openAlarms())
    outputs.resync()
  }
}
