import { describe, expect, it } from 'vitest'
import type { ComplaintReport } from '../gateway/core/complaint.js'
import type { Intent, RaiseIntent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import { fakeRuleView } from '../test/support/fakeRuleView.js'
import { complaintAggressiveChecklist, complaintChecklist, complaintPressChecklist } from './checklists/complaint.js'
import { type ComplaintEscalationSettings, complaintKey, createComplaintEscalationRule } from './complaintEscalation.js'

const buttons = [{ id: 'complaint-counter-1', type: 'complaint_button' as const, zone: 'counter', name: 'Counter 1' }]

function setup(settings: ComplaintEscalationSettings = { enabled: true, buttonSituations: ['aggressive'] }) {
  const fake = fakeRuleView(buttons)
  fake.nameZone('hall', { 'zh-CN': '营业厅', en: 'Sales hall' })
  const rule = createComplaintEscalationRule(settings)
  const press = (metric: string, value: ReadingValue): readonly Intent[] => {
    fake.record('complaint-counter-1', metric, value)
    const reading = { store: 'test-store', deviceId: 'complaint-counter-1', deviceType: 'complaint_button' as const }
    return rule.onReading({ ...reading, zone: 'counter', metric, value, ts: 0, quality: 'good' }, fake.view)
  }
  const report = (r: Partial<ComplaintReport> = {}) =>
    rule.onComplaintReport?.({ situations: ['group'], zone: 'hall', note: null, by: 'stan', ...r }, fake.view) ?? []
  return { fake, press, report }
}

const raiseIn = (intents: readonly Intent[]): RaiseIntent => {
  const raise = intents.find((i): i is RaiseIntent => i.type === 'raise')
  if (!raise) throw new Error(`expected a raise in ${JSON.stringify(intents)}`)
  return raise
}

describe('escalated complaint rule', () => {
  it('a report from the console raises a major, latching, not silent alarm only a manager ends, with a note', () => {
    const { report } = setup()
    const intents = report()
    expect(intents[0]).toMatchObject({
      type: 'raise',
      key: 'complaint_escalation:hall',
      kind: 'complaint_escalation',
      severity: 'major',
      latching: true,
      silent: false,
      shelvable: false,
      resetPolicy: { role: 'manager', noteRequired: true },
      deviceId: 'console',
      zone: 'hall',
      details: { group: true, aggressive: false, press: false, trigger: 'console' },
    })
    // a report is an event: the condition clears at once and the latch holds the alarm for the reset
    expect(intents[1]).toEqual({ type: 'clear', key: 'complaint_escalation:hall' })
  })

  it('asks for nothing but the alarm: no siren, no customer notice', () => {
    const { report, press } = setup()
    for (const intents of [report({ situations: ['group', 'aggressive', 'press'] }), press('pressed', true)])
      expect(intents.map((i) => i.type).sort()).toEqual(['clear', 'raise'])
  })

  it('the message says where, what and who, in Chinese and English', () => {
    const { report } = setup()
    const { messages } = raiseIn(report({ situations: ['group', 'press'], note: 'about 8 people' }))
    expect(messages.en).toBe(
      'Escalated complaint in Sales hall: group complaint (5 or more people), press on site; reported by stan: about 8 people',
    )
    expect(messages['zh-CN']).toBe('投诉激化（营业厅）：集体投诉（5 人及以上）、媒体到场，stan 上报：about 8 people')
  })

  it('the checklist holds the common steps, then only the steps of the situations reported', () => {
    const { report } = setup()
    const { checklist } = raiseIn(report({ situations: ['press'] }))
    expect(checklist.en).toEqual([...complaintChecklist.en, ...complaintPressChecklist.en])
    expect(checklist['zh-CN'].join()).toContain('办公室')
    expect(checklist['zh-CN'].join()).toContain('记者工作证')
    expect(checklist.en.join()).not.toContain('110')
  })

  it('aggressive behaviour adds the security and 110 steps', () => {
    const { report } = setup()
    const { checklist } = raiseIn(report({ situations: ['aggressive'] }))
    expect(checklist['zh-CN']).toEqual([...complaintChecklist['zh-CN'], ...complaintAggressiveChecklist['zh-CN']])
    expect(checklist['zh-CN'].join()).toContain('110')
    expect(checklist.en.join()).toMatch(/security/)
  })

  it('a second report in the same zone adds its situations to the open alarm, never drops one', () => {
    const { report, fake } = setup()
    const first = raiseIn(report({ situations: ['group'] }))
    fake.openAlarm(first.key, { details: first.details ?? {}, deviceId: 'console' })
    const second = raiseIn(report({ situations: ['press'] }))
    expect(second.key).toBe(first.key)
    expect(second.details).toMatchObject({ group: true, aggressive: false, press: true })
    expect(second.checklist.en).toEqual(expect.arrayContaining([...complaintPressChecklist.en]))
    expect(second.checklist.en.length).toBeGreaterThan(first.checklist.en.length)
  })

  it('a pressed complaint button raises it for its zone, with the situations the store set for buttons', () => {
    const { press } = setup()
    const raise = raiseIn(press('pressed', true))
    expect(raise).toMatchObject({
      key: complaintKey('counter'),
      deviceId: 'complaint-counter-1',
      details: { aggressive: true, group: false, press: false, trigger: 'button' },
    })
    expect(raise.messages.en).toContain('complaint button Counter 1 pressed')
    expect(raise.checklist.en).toEqual([...complaintChecklist.en, ...complaintAggressiveChecklist.en])
  })

  it('a store may say a button means no situation: then only the common steps', () => {
    const { press } = setup({ enabled: true, buttonSituations: [] })
    expect(raiseIn(press('pressed', true)).checklist).toEqual(complaintChecklist)
  })

  it.each(['single', 'double', 'hold'])('a zigbee2mqtt "%s" action is a press', (action) => {
    expect(raiseIn(setup().press('action', action)).key).toBe('complaint_escalation:counter')
  })

  it('a release, an empty action or a button let go raises nothing', () => {
    const { press } = setup()
    expect(press('action', 'release')).toEqual([])
    expect(press('action', 'hold_release')).toEqual([])
    expect(press('action', '')).toEqual([])
    expect(press('pressed', false)).toEqual([])
    expect(press('battery', 80)).toEqual([])
  })
})
