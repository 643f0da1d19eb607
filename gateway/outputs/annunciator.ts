import type { Alarm } from '../core/alarm.js'
import { type OutputArbiter, STEADY } from './arbiter.js'

export interface AnnunciatorOptions {
  readonly sirens: readonly string[]
  readonly strobes: readonly string[]
  /** The annunciator is one requester among others (notification outputs) on the same sirens. */
  readonly arbiter: Pick<OutputArbiter, 'request'>
}

/** The arbiter's name for the fire annunciator's requests. */
export const FIRE_REQUESTER = 'fire'

/**
 * Drives sirens and strobes from the set of open alarms, as a fire panel does
 * (docs/requirements.md#fire: siren + strobe on). Sirens sound while any audible fire alarm
 * is unacknowledged and not shelved (acknowledging silences them); strobes
 * flash until every fire alarm is reset. A silent alarm (robbery) never
 * changes an output: it is not even looked at.
 */
export function createAnnunciator(options: AnnunciatorOptions) {
  let sounding: boolean | null = null
  let flashing: boolean | null = null

  function drive(devices: readonly string[], on: boolean): void {
    for (const deviceId of devices) options.arbiter.request(FIRE_REQUESTER, deviceId, on ? STEADY : null)
  }

  return {
    /** Recomputes the outputs after any alarm change; switches only what changed. */
    update(open: Iterable<Alarm>): void {
      const fires = [...open].filter((a) => a.kind === 'fire' && !a.silent && a.state !== 'closed')
      const sirenOn = fires.some((a) => a.state === 'active_unacked' && a.shelvedUntil === null)
      const strobeOn = fires.length > 0
      if (sirenOn !== sounding) drive(options.sirens, sirenOn)
      if (strobeOn !== flashing) drive(options.strobes, strobeOn)
      sounding = sirenOn
      flashing = strobeOn
    },
  }
}
