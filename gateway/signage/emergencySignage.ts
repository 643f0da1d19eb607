import type { Alarm, LocalizedText } from '../core/alarm.js'
import type { EventBus } from '../core/events.js'
import type { NoticeIntent } from '../core/intent.js'

/** The one emergency notice on signage: whichever alarm matters most speaks, so customers read one instruction. */
export const EMERGENCY_NOTICE_KEY = 'emergency:signage'
const BY = 'gateway:emergency-signage'

/**
 * Alarms that change what customers must do, most urgent first
 * (docs/requirements.md#emergency-notice): leaving the store beats keeping out of the water,
 * which beats minding one's step in the dark. A flood counts once it is critical.
 */
const GUIDANCE: readonly { readonly applies: (a: Alarm) => boolean; readonly texts: keyof GuidanceTexts }[] = [
  { applies: (a) => a.kind === 'fire', texts: 'fire' },
  { applies: (a) => a.kind === 'flood' && a.severity === 'critical', texts: 'flood' },
  { applies: (a) => a.kind === 'power_outage', texts: 'power' },
]

/** What customers read in each case: the store's wording of `fire.evacuationNotice` and the others (docs/requirements.md#store-texts). */
export interface GuidanceTexts {
  readonly fire: LocalizedText
  readonly flood: LocalizedText
  readonly power: LocalizedText
}

export interface EmergencySignageDeps {
  readonly events: Pick<EventBus, 'subscribe'>
  /** The open alarms, read once at start: an alarm open from before a restart keeps its notice. */
  readonly alarms: { list(): readonly Alarm[] }
  readonly notices: {
    post(intent: NoticeIntent, by: string): void
    withdraw(key: string, by: string): void
  }
  readonly texts: GuidanceTexts
}

/**
 * Follows the alarm events and keeps one customer notice, flagged `emergency`,
 * up while a fire, a critical flood or a power cut is open: signage shows it
 * alone and full screen. It comes down when the last such alarm closes — after
 * staff reset a fire, or acknowledge a cleared flood or power cut — because
 * staff, not a sensor, say the store is safe again (docs/requirements.md#emergency-notice).
 * A silent alarm (robbery) is never looked at: signage must not change
 * (docs/requirements.md#robbery).
 */
export function createEmergencySignage(deps: EmergencySignageDeps) {
  /**
   * Open alarms that call for guidance: id → their most urgent GUIDANCE index so far.
   * A flood that was critical keeps the area closed until it closes, even if the water drops.
   */
  const calling = new Map<string, number>()
  let unsubscribe: (() => void) | null = null

  function follow(alarm: Alarm): void {
    if (alarm.silent) return
    if (alarm.state === 'closed') {
      calling.delete(alarm.id)
      return
    }
    const rank = GUIDANCE.findIndex((g) => g.applies(alarm))
    const before = calling.get(alarm.id)
    if (rank !== -1 && (before === undefined || rank < before)) calling.set(alarm.id, rank)
  }

  function sync(): void {
    const guidance = GUIDANCE[Math.min(...calling.values())]
    if (!guidance) {
      deps.notices.withdraw(EMERGENCY_NOTICE_KEY, BY)
      return
    }
    deps.notices.post(
      {
        type: 'notice',
        key: EMERGENCY_NOTICE_KEY,
        audience: 'customer',
        // store-wide: the signage screen is in the hall whichever zone the alarm is in
        zone: null,
        deviceId: null,
        texts: deps.texts[guidance.texts],
        endsAt: null,
        emergency: true,
      },
      BY,
    )
  }

  return {
    name: 'emergency signage',
    start(): void {
      for (const alarm of deps.alarms.list()) follow(alarm)
      // also withdraws a notice left from before a restart whose alarm has since gone
      sync()
      unsubscribe = deps.events.subscribe((event) => {
        if (event.type !== 'alarm' || event.alarm.silent) return
        follow(event.alarm)
        sync()
      })
    },
    stop(): void {
      unsubscribe?.()
      unsubscribe = null
    },
  }
}
