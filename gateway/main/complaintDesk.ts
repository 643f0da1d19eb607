import { complaintKey } from '../../rules/complaintEscalation.js'
import type { Alarm } from '../core/alarm.js'
import type { ComplaintDesk, ComplaintReport, ReportTaken } from '../core/complaint.js'
import { StoreGuardError } from '../core/errors.js'

export interface ComplaintDeskDeps {
  readonly engine: { onComplaintReport(report: ComplaintReport): ReportTaken }
  readonly alarms: { byKey(key: string): Alarm | undefined }
  /** The store's zones (configured and every device's), read at every report: a reload may add a device. */
  readonly zones: () => ReadonlySet<string>
}

/**
 * The console's way to raise an escalated complaint (docs/requirements.md#escalated-complaint): the
 * report goes through the rule engine like a reading, so the rule words the alarm and the
 * journal records it before anyone is told.
 */
export function createComplaintDesk(deps: ComplaintDeskDeps): ComplaintDesk {
  const open = (zone: string) => deps.alarms.byKey(complaintKey(zone))
  return {
    open,
    zones: deps.zones,
    report(report) {
      const taken = deps.engine.onComplaintReport(report)
      if (taken.rules === 0) {
        throw new StoreGuardError('rule_disabled', 'the complaintEscalation rule is switched off in this store')
      }
      const alarm = open(report.zone)
      // a failed rule raised nothing, even where the zone's earlier alarm is still open
      if (taken.failed > 0 || alarm === undefined) {
        throw new StoreGuardError('rule_failed', 'the complaint was not raised: call the duty manager')
      }
      return alarm
    },
  }
}
