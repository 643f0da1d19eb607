import type { AlarmManagement } from './config/alarmManagementSchema.js'
import type { Clock } from './core/clock.js'
import type { AlarmFloodEvent, EventBus } from './core/events.js'
import { createAlarmFloodDetector } from './engine/alarmFloodDetector.js'

/** How often the alarm-flood window is re-checked for its end. */
const TICK_MS = 1000

/**
 * The alarm-flood summary for managers, from the alarm events on the bus. Not an
 * output: sirens and strobes are the alarm service's annunciation step (gateway/outputs).
 */
export function wireAlarmFloodSummary(
  settings: AlarmManagement,
  events: EventBus,
  publishEvent: (event: AlarmFloodEvent) => void,
  clock: Clock,
): void {
  const flood = createAlarmFloodDetector(settings)
  const floodSummary = (summary: ReturnType<typeof flood.tick>) => {
    if (!summary) return
    publishEvent(summary)
    events.emit(summary)
  }
  events.subscribe((event) => {
    if (event.type !== 'alarm') return
    // a silent alarm (robbery) is for security alone: counted, it would show in the summary that goes
    // to managers' channels (docs/requirements.md#robbery); and it is never annunciated, so it adds nothing to staff's load
    if (event.action === 'raised' && !event.alarm.silent) floodSummary(flood.raised(event.alarm.kind, clock.now()))
  })
  const floodTimer = setInterval(() => floodSummary(flood.tick(clock.now())), TICK_MS)
  floodTimer.unref()
}
