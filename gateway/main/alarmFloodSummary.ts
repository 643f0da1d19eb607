import type { AlarmManagement } from '../config/alarmManagementSchema.js'
import type { Clock } from '../core/clock.js'
import type { AlarmFloodEvent, EventBus } from '../core/events.js'
import { createAlarmFloodDetector } from '../engine/alarmFloodDetector.js'
import type { Component } from './lifecycle.js'

/**
 * The alarm-flood summary for managers, from the alarm events on the bus. Not an
 * output: sirens and strobes are the alarm service's annunciation step (gateway/outputs).
 * Its tick, on the gateway's one ticker, sees the end of a flood window.
 */
export function wireAlarmFloodSummary(
  settings: AlarmManagement,
  events: EventBus,
  publishEvent: (event: AlarmFloodEvent) => void,
  clock: Clock,
): Component {
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
  return { name: 'alarm-flood summary', tick: (now) => floodSummary(flood.tick(now)) }
}
