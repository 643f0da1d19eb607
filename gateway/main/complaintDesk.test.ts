import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import type { ComplaintReport } from '../core/complaint.js'
import { isStoreGuardError } from '../core/errors.js'
import type { DeviceStatus } from '../core/ports.js'
import { createComplaintDesk } from './complaintDesk.js'

const report: ComplaintReport = { situations: ['group'], zone: 'hall', note: null, by: 'stan' }
const device = (id: string, zone: string) => ({ id, zone }) as DeviceStatus

function desk(raises: boolean) {
  const open = new Map<string, Alarm>()
  const reports: ComplaintReport[] = []
  return {
    reports,
    desk: createComplaintDesk({
      engine: {
        onComplaintReport(r) {
          reports.push(r)
          // the enabled rule raises the zone's alarm; a store that switched it off has no rule to
          if (raises) open.set(`complaint_escalation:${r.zone}`, { id: 'a-1', zone: r.zone } as Alarm)
        },
      },
      alarms: { byKey: (key) => open.get(key) },
      devices: { list: () => [device('smoke-1', 'hall'), device('panic-1', 'counter')] },
      configuredZones: () => ['office', 'hall'],
    }),
  }
}

describe('the complaint desk (docs/requirements.md#escalated-complaint)', () => {
  it('hands the report to the rules and answers with the alarm they raised for the zone', () => {
    const { desk: d, reports } = desk(true)
    expect(d.open('hall')).toBeUndefined()
    expect(d.report(report)).toMatchObject({ id: 'a-1', zone: 'hall' })
    expect(reports).toEqual([report])
    expect(d.open('hall')?.id).toBe('a-1')
  })

  it('says rule_disabled when the store switched the rule off, rather than pretending', () => {
    const { desk: d } = desk(false)
    let caught: unknown
    try {
      d.report(report)
    } catch (err) {
      caught = err
    }
    expect(isStoreGuardError(caught, 'rule_disabled')).toBe(true)
  })

  it('knows the configured zones and every device zone', () => {
    expect([...desk(true).desk.zones()].sort()).toEqual(['counter', 'hall', 'office'])
  })
})
