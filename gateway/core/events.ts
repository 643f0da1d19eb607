import type { Alarm } from './alarm.js'
import type { Reading } from './reading.js'

/** What happened to an alarm, as published on `events` (SPEC §7). */
export type AlarmAction = 'raised' | 'updated' | 'cleared' | 'acked' | 'reset'

export interface AlarmEvent {
  readonly type: 'alarm'
  readonly action: AlarmAction
  readonly alarm: Alarm
  /** Who caused it: a user name, or `rule:<id>` for the engine. */
  readonly by: string
  readonly at: string
}

export interface ReadingEvent {
  readonly type: 'reading'
  readonly reading: Reading
}

export type GatewayEvent = AlarmEvent | ReadingEvent

type Listener<E> = (event: E) => void

/**
 * Fan-out after the state change is journaled (STYLE §4). Listeners are
 * isolated: one that throws is reported and never breaks another.
 */
export class EventBus {
  private readonly listeners = new Set<Listener<GatewayEvent>>()
  constructor(private readonly onListenerError: (err: unknown) => void) {}

  subscribe(listener: Listener<GatewayEvent>): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: GatewayEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        this.onListenerError(err)
      }
    }
  }
}
