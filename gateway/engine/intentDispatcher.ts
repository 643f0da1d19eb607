import type { AlarmService } from '../alarms/alarmService.js'
import { isoAt } from '../core/clock.js'
import type { TicketRequestEvent } from '../core/events.js'
import type { Intent, RaiseIntent, TicketRequestIntent } from '../core/intent.js'
import type { NoticeService } from '../notices/noticeService.js'
import type { ChatterFilter } from './chatterFilter.js'
import { inhibitionOf } from './inhibition.js'

export interface IntentDispatcherOptions {
  readonly alarms: AlarmService
  readonly notices: NoticeService
  readonly chatter: ChatterFilter
  readonly now: () => number
  readonly ticketRequested: (event: TicketRequestEvent) => void
  readonly inhibited: (intent: RaiseIntent, reason: string) => void
}

/**
 * Applies the intents a rule returned, in order, as plain synchronous calls:
 * inhibition and chatter filtering first, then the alarm, notice and ticket
 * services (docs/design.md#hot-path: no bus hop before the state change is journaled).
 */
export function createIntentDispatcher(options: IntentDispatcherOptions) {
  const { alarms, notices, chatter, now } = options

  function raise(intent: RaiseIntent, by: string): void {
    const reason = inhibitionOf(intent, alarms.open())
    if (reason !== null) {
      options.inhibited(intent, reason)
      return
    }
    // life-safety alarms that may not be shelved (fire, robbery) may not be chatter-suppressed either
    const verdict = intent.shelvable === false ? 'pass' : chatter.raise(intent, now())
    if (verdict === 'suppress') return
    alarms.raise(intent, by)
    if (verdict === 'pass_and_mark') alarms.setChattering(intent.key, true, by)
  }

  function ticketRequest(intent: TicketRequestIntent, by: string): TicketRequestEvent {
    return {
      by,
      type: 'ticket_request',
      deviceId: intent.deviceId,
      alarmKey: intent.alarmKey,
      alarmId: alarms.byKey(intent.alarmKey)?.id ?? null,
      faultCodes: intent.faultCodes,
      reason: intent.reason,
      at: isoAt(now()),
    }
  }

  function dispatch(intent: Intent, by: string): void {
    switch (intent.type) {
      case 'raise':
        raise(intent, by)
        break
      case 'clear':
        // fire and robbery are never chatter-suppressed, in either direction
        if (alarms.byKey(intent.key)?.shelvable === false || chatter.clear(intent.key, now()) !== 'suppress') {
          alarms.clear(intent.key, by)
        }
        break
      case 'escalate':
        alarms.escalate(intent, by)
        break
      case 'notice':
        notices.post(intent, by)
        break
      case 'withdraw_notice':
        notices.withdraw(intent.key, by)
        break
      case 'ticket_request':
        options.ticketRequested(ticketRequest(intent, by))
        break
    }
  }

  return {
    dispatch,
    /** Applies the latest condition of inputs that stopped chattering. */
    settleChatter(): void {
      for (const settled of chatter.tick(now())) {
        const by = 'gateway:chatter-settled'
        alarms.setChattering(settled.key, false, by)
        if (settled.raise) alarms.raise(settled.raise, by)
        else alarms.clear(settled.key, by)
      }
    },
  }
}

export type IntentDispatcher = ReturnType<typeof createIntentDispatcher>
