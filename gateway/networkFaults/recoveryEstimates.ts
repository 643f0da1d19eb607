import type { Alarm, AlarmKind } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'

/**
 * The faults whose customer notice says when service is back once the centre estimates it
 * (docs/requirements.md#network-fault: customer notices say when). The network fault carries its own.
 */
export const ESTIMATED_KINDS: ReadonlySet<AlarmKind> = new Set<AlarmKind>(['system_fault', 'power_outage'])

export interface RecoveryEstimatesOptions {
  readonly alarms: { byKey(key: string): Alarm | undefined }
  readonly notices: { byKey(key: string): Notice | undefined }
}

/**
 * The centre's estimate of when an open fault is over, by its condition key, for the rules to word into
 * its customer notice (which shares the key). An estimate belongs to one alarm episode: the next fault
 * of the same device starts without one. The notice keeps the estimate it shows, so after a restart the
 * estimate is read back from it.
 */
export function createRecoveryEstimates(options: RecoveryEstimatesOptions) {
  const { alarms, notices } = options
  const given = new Map<string, { readonly alarmId: string; readonly at: number | null }>()
  return {
    /** Milliseconds since the epoch, or null when the centre has given none for the open fault. */
    get(key: string): number | null {
      const alarm = alarms.byKey(key)
      if (!alarm) return null
      const estimate = given.get(key)
      if (estimate?.alarmId === alarm.id) return estimate.at
      const saved = notices.byKey(key)?.expectedRecoveryAt
      return saved === undefined ? null : Date.parse(saved)
    },
    /** The centre's estimate for this alarm, or null to take it back; false for a kind that has none. */
    set(alarm: Alarm, at: number | null): boolean {
      if (!ESTIMATED_KINDS.has(alarm.kind)) return false
      given.set(alarm.key, { alarmId: alarm.id, at })
      return true
    },
  }
}

export type RecoveryEstimates = ReturnType<typeof createRecoveryEstimates>
