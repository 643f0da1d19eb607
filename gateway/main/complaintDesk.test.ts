import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import type { ComplaintReport } from '../core/complaint.js'
import { isStoreGuardError } from '../core/errors.js'
import { createComplaintDesk } from './complaintDesk.js'

const report: ComplaintReport = { situations: ['group'], zone: 'hall', note: null, by: 'stan' }
/** How the store's rules take a report: the enabled rule raises, a switched-off one is not there, a broken one throws. */
type RuleHere = 'raises' | 'switched_off' | 'fails'

function desk(rule: RuleHere, alreadyOpen?: Alarm) {
  const open = new Map<string, Alarm>()
  if (alreadyOpen) open.set(`complaint_escalation:${alreadyOpen.zone}`, alreadyOpen)
  const reports: ComplaintReport[] = []
  return {
    reports,
    desk: createComplaintDesk({
      engine: {
        onComplaintReport(r) {
          reports.push(r)
          if (rule === 'switched_off') return { rules: 0, failed: 0 }
          if (rule === 'fails') return { rules: 1, failed: 1 }
          open.set(`complaint_escalation:${r.zone}`, { id: 'a-1', zone: r.zone } as Alarm)
          return { rules: 1, failed: 0 }
        },
      },
      alarms: { byKey: (key) => open.get(key) },
      zones: () => new Set(['office', 'hall', 'counter']),
    }),
  }
}

function errorOf(act: () => unknown): unknown {
  try {
    act()
  } catch (err) {
    return err
  }
  return undefined
}

describe('the complaint desk (docs/requirements.md#escalated-complaint)', () => {
  it('hands the report to the rules and answers with the alarm they raised for the zone', () => {
    const { desk: d, reports } = desk('raises')
    expect(d.open('hall')).toBeUndefined()
    expect(d.report(report)).toMatchObject({ id: 'a-1', zone: 'hall' })
    expect(reports).toEqual([report])
    expect(d.open('hall')?.id).toBe('a-1')
  })

  it('says rule_disabled when the store switched the rule off, rather than pretending', () => {
    expect(
      isStoreGuardError(
        errorOf(() => desk('switched_off').desk.report(report)),
        'rule_disabled',
      ),
    ).toBe(true)
  })

  it('says rule_failed when the rule failed on the report, even with an older alarm open in the zone', () => {
    const earlier = { id: 'a-0', zone: 'hall' } as Alarm
    const { desk: d } = desk('fails', earlier)
    const caught = errorOf(() => d.report(report))
    expect(isStoreGuardError(caught, 'rule_failed')).toBe(true)
    expect((caught as Error).message).toMatch(/not raised/)
  })
})
