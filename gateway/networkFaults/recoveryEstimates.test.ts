import { describe, expect, it } from 'vitest'
import type { Alarm } from '../core/alarm.js'
import type { Notice } from '../core/notice.js'
import { createRecoveryEstimates } from './recoveryEstimates.js'

const AT = Date.parse('2026-12-07T06:30:00Z')
const alarmOf = (id: string, kind: Alarm['kind'] = 'system_fault') =>
  ({ id, key: 'system_fault:crm', kind }) as unknown as Alarm

describe('recovery estimates', () => {
  it('hold for the open fault, read back from its notice after a restart, and never pass to the next fault', () => {
    let open: Alarm | undefined = alarmOf('alarm-1')
    let notice: Partial<Notice> | undefined
    const start = () =>
      createRecoveryEstimates({
        alarms: { byKey: () => open },
        notices: { byKey: () => notice as Notice | undefined },
      })
    const estimates = start()
    expect(estimates.get('system_fault:crm')).toBeNull()
    expect(estimates.set(alarmOf('alarm-1'), AT)).toBe(true)
    expect(estimates.get('system_fault:crm')).toBe(AT)

    // a restart: nothing in memory, the notice still says it
    notice = { expectedRecoveryAt: new Date(AT).toISOString() }
    expect(start().get('system_fault:crm')).toBe(AT)

    // the fault is over, then back: a new episode starts without an estimate
    open = undefined
    notice = undefined
    expect(estimates.get('system_fault:crm')).toBeNull()
    open = alarmOf('alarm-2')
    expect(estimates.get('system_fault:crm')).toBeNull()
  })

  it('take none for a kind whose notice does not say when', () => {
    const estimates = createRecoveryEstimates({
      alarms: { byKey: () => undefined },
      notices: { byKey: () => undefined },
    })
    expect(estimates.set(alarmOf('alarm-1', 'fire'), AT)).toBe(false)
  })
})
