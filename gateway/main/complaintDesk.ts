import { complaintKey } from '../../rules/complaintEscalation.js'
import type { Alarm } from '../core/alarm.js'
import type { ComplaintDesk, ComplaintReport } from '../core/complaint.js'
import { StoreGuardError } from '../core/errors.js'
import type { DeviceDirectory } from '../core/ports.js'

export interface ComplaintDeskDeps {
  readonly engine: { onComplaintReport(report: ComplaintReport): void }
  readonly alarms: { byKey(key: string): Alarm | undefined }
  readonly devices: DeviceDirectory
  /** The configured zones' ids, read at every report: a reload may change them. */
  readonly configuredZones: () => readonly string[]
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
    zones: () => new Set([...deps.configuredZones(), ...deps.devices.list().map((d) => d.zone)]),
    report(report) {
      deps.engine.onComplaintReport(report)
      const alarm = open(report.zone)
      if (alarm === undefined) {
        throw new StoreGuardError('rule_disabled', 'the complaintEscalation rule is switched off in this store')
      }
      return alarm
    },
  }
}
