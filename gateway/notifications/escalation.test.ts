import { describe, expect, it } from 'vitest'
import { useTempJournal } from '../../test/support/tempJournal.js'
import { alarmEvent, RAISED_AT, sampleAlarm } from '../channels/testing/sampleEvents.js'
import type { NotificationRoute } from '../config/notificationsSchema.js'
import { createEscalation, escalationPlan } from './escalation.js'
import { createEscalationStore } from './escalationStore.js'

const T0 = Date.parse(RAISED_AT)
const routes: NotificationRoute[] = [
  { hours: 'any', channels: ['staff'], escalateAfterSec: 300, escalateTo: ['duty-manager'] },
  { hours: 'any', channels: ['staff'], escalateAfterSec: 1800, escalateTo: ['security-centre'] },
  { hours: 'any', channels: ['other'] },
]

describe('escalation of unacknowledged alarms, on an injected clock', () => {
  it('escalates once to the next level after the delay, then to the level after that, never twice', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), routes)
    expect(escalation.tick(T0 + 299_999)).toEqual([])
    const first = escalation.tick(T0 + 300_000)
    expect(first).toEqual([expect.objectContaining({ level: 1, channels: ['duty-manager'] })])
    expect(first[0]?.alarm.id).toBe('a-1')
    expect(escalation.tick(T0 + 300_001)).toEqual([])
    expect(escalation.tick(T0 + 1_000_000)).toEqual([])
    expect(escalation.tick(T0 + 1_800_000)).toEqual([
      expect.objectContaining({ level: 2, channels: ['security-centre'] }),
    ])
    expect(escalation.tick(T0 + 9_000_000)).toEqual([])
    expect(escalation.size()).toBe(0)
  })

  it('a late tick catches up with every level that has come due, in order', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), routes)
    expect(escalation.tick(T0 + 3_600_000).map((d) => d.level)).toEqual([1, 2])
  })

  it('stops as soon as the alarm is acknowledged', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), routes)
    escalation.onAlarmEvent(alarmEvent({ state: 'active_acked', ackedBy: 'stan' }, { action: 'acked' }))
    expect(escalation.tick(T0 + 3_600_000)).toEqual([])
    expect(escalation.size()).toBe(0)
  })

  it('stops after the first level when the alarm clears before the second', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), routes)
    expect(escalation.tick(T0 + 300_000)).toHaveLength(1)
    escalation.onAlarmEvent(alarmEvent({ state: 'cleared_unacked', conditionActive: false }, { action: 'cleared' }))
    expect(escalation.tick(T0 + 3_600_000)).toEqual([])
  })

  it('an update while still unacknowledged keeps the escalation going with the latest alarm', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), routes)
    escalation.onAlarmEvent(alarmEvent({ message: 'two detectors' }, { action: 'updated' }))
    expect(escalation.tick(T0 + 300_000)[0]?.alarm.message).toBe('two detectors')
  })

  it('an alarm whose routes have no escalation is not watched', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), [{ hours: 'any', channels: ['staff'] }])
    expect(escalation.size()).toBe(0)
  })
})

describe('levels and repeats while nobody acknowledges', () => {
  const staffThenManagerThenSecurity: NotificationRoute[] = [
    {
      hours: 'any',
      channels: ['staff'],
      escalation: [
        { afterSec: 1800, channels: ['security-centre'] },
        { afterSec: 300, channels: ['duty-manager'] },
      ],
      repeatEverySec: 600,
    },
  ]

  it('walks a route through its levels in order of delay, then repeats the last level every period', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), staffThenManagerThenSecurity)
    const at = (sec: number) => escalation.tick(T0 + sec * 1000).map((d) => [d.level, d.repeat, d.channels])
    expect(at(299)).toEqual([])
    expect(at(300)).toEqual([[1, false, ['duty-manager']]])
    expect(at(1800)).toEqual([[2, false, ['security-centre']]])
    expect(at(2399)).toEqual([])
    expect(at(2400)).toEqual([[3, true, ['security-centre']]])
    expect(at(2401)).toEqual([])
    expect(at(3000)).toEqual([[4, true, ['security-centre']]])
  })

  it('keeps repeating until the ack, and not once after it', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), staffThenManagerThenSecurity)
    expect(escalation.tick(T0 + 10_000_000).length).toBeGreaterThan(0)
    escalation.onAlarmEvent(alarmEvent({ state: 'active_acked', ackedBy: 'stan' }, { action: 'acked' }))
    expect(escalation.tick(T0 + 20_000_000)).toEqual([])
    expect(escalation.size()).toBe(0)
  })

  it('sends one repeat, not a burst, when the tick comes several periods late', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), staffThenManagerThenSecurity)
    // 1800 s for the levels, then 10 periods of 600 s
    expect(escalation.tick(T0 + 7_800_000).map((d) => d.level)).toEqual([1, 2, 12])
    expect(escalation.tick(T0 + 8_399_000)).toEqual([])
    expect(escalation.tick(T0 + 8_400_000).map((d) => d.level)).toEqual([13])
  })

  it('repeats a route without levels to its own channels', () => {
    const escalation = createEscalation()
    escalation.watch(sampleAlarm(), [{ hours: 'any', channels: ['staff', 'sms-manager'], repeatEverySec: 120 }])
    expect(escalation.tick(T0 + 119_000)).toEqual([])
    expect(escalation.tick(T0 + 120_000)).toEqual([
      expect.objectContaining({ level: 1, repeat: true, channels: ['staff', 'sms-manager'] }),
    ])
  })

  it('merges the levels of several routes and repeats at the shortest period to the last level of each route', () => {
    const plan = escalationPlan([
      { hours: 'any', channels: ['staff'], escalateAfterSec: 300, escalateTo: ['duty-manager'], repeatEverySec: 900 },
      {
        hours: 'any',
        channels: ['facilities'],
        escalation: [{ afterSec: 600, channels: ['ops'] }],
        repeatEverySec: 300,
      },
      { hours: 'any', channels: ['other'], escalation: [{ afterSec: 60, channels: ['other-2'] }] },
    ])
    expect(plan.steps.map((s) => [s.afterMs / 1000, s.channels])).toEqual([
      [60, ['other-2']],
      [300, ['duty-manager']],
      [600, ['ops']],
    ])
    expect(plan.repeat).toEqual({ afterMs: 600_000, everyMs: 300_000, channels: ['duty-manager', 'ops'] })
  })
})

describe('escalation levels kept in the journal across a restart', () => {
  const journal = useTempJournal()

  /** A gateway restart: a fresh escalation over a fresh connection to the same file. */
  function restart() {
    journal.reopen()
    return createEscalation(createEscalationStore(journal.db))
  }

  it('an alarm open across a restart escalates to the next level, and never repeats one already sent', () => {
    const before = createEscalation(createEscalationStore(journal.db))
    before.watch(sampleAlarm(), routes)
    expect(before.tick(T0 + 300_000).map((d) => d.level)).toEqual([1])

    const after = restart()
    after.watch(sampleAlarm(), routes)
    expect(after.tick(T0 + 400_000)).toEqual([])
    expect(after.tick(T0 + 1_800_000).map((d) => d.level)).toEqual([2])

    // and a third instance, after every level was sent, sends nothing
    const third = restart()
    third.watch(sampleAlarm(), routes)
    expect(third.size()).toBe(0)
    expect(third.tick(T0 + 9_000_000)).toEqual([])
  })

  it('a level that came due while the gateway was down is sent once after the restart', () => {
    createEscalation(createEscalationStore(journal.db)).watch(sampleAlarm(), routes)
    const after = restart()
    after.watch(sampleAlarm(), routes)
    expect(after.tick(T0 + 600_000).map((d) => d.level)).toEqual([1])
    const again = restart()
    again.watch(sampleAlarm(), routes)
    expect(again.tick(T0 + 600_000)).toEqual([])
  })

  it('a repeating alarm open across a restart goes on repeating from the last repeat sent', () => {
    const repeating: NotificationRoute[] = [{ hours: 'any', channels: ['staff'], repeatEverySec: 600 }]
    const before = createEscalation(createEscalationStore(journal.db))
    before.watch(sampleAlarm(), repeating)
    expect(before.tick(T0 + 1_200_000).map((d) => d.level)).toEqual([2])
    const after = restart()
    after.watch(sampleAlarm(), repeating)
    expect(after.tick(T0 + 1_500_000)).toEqual([])
    expect(after.tick(T0 + 1_800_000).map((d) => d.level)).toEqual([3])
  })

  it('an ack forgets the levels sent, even after the last level', () => {
    const store = createEscalationStore(journal.db)
    const escalation = createEscalation(store)
    escalation.watch(sampleAlarm(), routes)
    expect(escalation.tick(T0 + 3_600_000)).toHaveLength(2)
    expect(store.levelsSent('a-1')).toBe(2)
    escalation.onAlarmEvent(alarmEvent({ state: 'active_acked', ackedBy: 'stan' }, { action: 'acked' }))
    expect(store.levelsSent('a-1')).toBe(0)
    expect(createEscalationStore(journal.db).alarmIds()).toEqual([])
  })
})
