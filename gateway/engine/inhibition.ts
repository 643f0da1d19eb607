import type { Alarm } from '../core/alarm.js'
import type { RaiseIntent } from '../core/intent.js'

/**
 * Alarm inhibition (docs/requirements.md#suppression-and-alarm-floods, ISA-18.2 "designed suppression"): a raise that
 * only repeats what a bigger open alarm already says is not annunciated.
 * Returns why the raise is inhibited, or null.
 * - a fire in a zone suppresses device-fault noise from that zone: detectors
 *   in a fire go into fault, and staff must not be distracted by it;
 * - an offline terminal does not also report its sub-faults.
 */
export function inhibitionOf(intent: RaiseIntent, open: Iterable<Alarm>): string | null {
  if (intent.kind !== 'device_fault') return null
  for (const alarm of open) {
    if (alarm.kind === 'fire' && alarm.zone === intent.zone) return 'fire_in_zone'
    if (alarm.kind === 'terminal_fault' && alarm.deviceId === intent.deviceId && alarm.details.offline === true) {
      return 'terminal_offline'
    }
  }
  return null
}
