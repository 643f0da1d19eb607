import { describe, expect, it } from 'vitest'
import type { Intent } from '../gateway/core/intent.js'
import type { ReadingValue } from '../gateway/core/reading.js'
import { fakeRuleView, type TestDevice } from '../test/support/fakeRuleView.js'
import { createFacilityFaultRule, facilityFaultKey } from './facilityFault.js'

const devices: TestDevice[] = [
  {
    id: 'ac-1',
    type: 'air_conditioner',
    zone: 'hall',
    name: 'Hall AC',
    ticket: { targetBusinessDays: 3, customerFacing: false },
  },
  { id: 'queue-1', type: 'queue', zone: 'entrance', name: 'Queue machine', ticket: { customerFacing: true } },
  { id: 'terminal-1', type: 'terminal', zone: 'hall', name: 'Terminal 1', ticket: { customerFacing: true } },
  // a door whose type a store has not made ticketable (no `ticket`): the rule leaves it alone
  { id: 'door-x', type: 'door', zone: 'hall', name: 'Back door' },
]

function setup() {
  const fake = fakeRuleView(devices)
  const rule = createFacilityFaultRule({ enabled: true, settleSec: 60 })
  const send = (deviceId: string, metrics: Record<string, ReadingValue>): Intent[] =>
    Object.entries(metrics).flatMap(([metric, value]) => {
      fake.record(deviceId, metric, value)
      const type = devices.find((d) => d.id === deviceId)?.type ?? 'door'
      const reading = { store: 'test-store', deviceId, deviceType: type, zone: 'hall', metric, value }
      return [...rule.onReading({ ...reading, ts: fake.view.now(), quality: 'good' }, fake.view)]
    })
  const tick = (atMs: number): Intent[] => {
    fake.at(atMs)
    return [...(rule.onTick?.(fake.view) ?? [])]
  }
  return { fake, rule, send, tick }
}

const ofType = <T extends Intent['type']>(intents: readonly Intent[], type: T) =>
  intents.filter((i): i is Extract<Intent, { type: T }> => i.type === type)

describe('facility fault rule: every ticketable facility gets a repair ticket', () => {
  it('an air conditioner reporting a fault code raises a minor facility fault and asks for one ticket on the next tick', () => {
    const { send, tick } = setup()
    const raised = send('ac-1', { fault_active: true, fault_code: 5 })
    const [raise] = ofType(raised, 'raise').slice(-1)
    expect(raise).toMatchObject({
      key: facilityFaultKey('ac-1'),
      kind: 'facility_fault',
      severity: 'minor',
      deviceId: 'ac-1',
      details: { faultCode: '5' },
    })
    expect(raise?.messages.en).toBe('Facility fault: Hall AC in zone hall reports fault code 5')
    expect(ofType(raised, 'ticket_request')).toEqual([])
    expect(ofType(raised, 'notice'), 'nobody but staff uses an air conditioner').toEqual([])
    const [ticket, ...more] = ofType(tick(1000), 'ticket_request')
    expect(more).toEqual([])
    expect(ticket).toMatchObject({ deviceId: 'ac-1', alarmKey: 'facility_fault:ac-1', faultCodes: ['5'] })
    expect(ofType(tick(2000), 'ticket_request'), 'one ticket per episode').toEqual([])
  })

  it('a repeated fault report opens no second ticket and changes nothing', () => {
    const { send, tick } = setup()
    send('ac-1', { fault_active: true })
    tick(1000)
    expect(send('ac-1', { fault_active: true })).toEqual([])
    expect(ofType(tick(2000), 'ticket_request')).toEqual([])
  })

  it('a customer-facing facility (queue machine) raises a major alarm and puts a notice on it that sends customers to the counter', () => {
    const { send } = setup()
    const intents = send('queue-1', { status: 'fault' })
    expect(ofType(intents, 'raise')[0]?.severity).toBe('major')
    const [notice] = ofType(intents, 'notice')
    expect(notice).toMatchObject({ audience: 'customer', deviceId: 'queue-1', key: 'facility_fault:queue-1' })
    expect(notice?.texts['zh-CN']).toContain('抱歉，Queue machine正在维修中')
    expect(notice?.texts['zh-CN']).toContain('请您移步人工柜台办理。')
  })

  it("the queue machine's notice gets its ticket's due time once the ticket is open", () => {
    const { fake, send, tick } = setup()
    send('queue-1', { fault_active: true })
    fake.setTicketDue('queue-1', { 'zh-CN': '10月9日（周五）15:00', en: 'Fri 9 Oct 15:00' })
    const [notice] = ofType(tick(1000), 'notice')
    expect(notice?.texts.en).toContain('It should be back in service by Fri 9 Oct 15:00.')
  })

  it('healthy for the settle time clears the alarm and withdraws the notice; a later fault is a new episode', () => {
    const { send, tick } = setup()
    send('queue-1', { fault_active: true })
    tick(1000)
    expect(send('queue-1', { fault_active: false })).toEqual([])
    expect(tick(30_000).filter((i) => i.type === 'clear')).toEqual([])
    expect(tick(62_000)).toEqual([
      { type: 'clear', key: 'facility_fault:queue-1' },
      { type: 'withdraw_notice', key: 'facility_fault:queue-1' },
    ])
    send('queue-1', { fault_active: true })
    expect(ofType(tick(63_000), 'ticket_request')).toHaveLength(1)
  })

  it('a fault code of 0 is no fault', () => {
    const { send } = setup()
    expect(send('ac-1', { fault_active: false, fault_code: 0 })).toEqual([])
  })

  it('leaves terminals to their own rule and devices whose type is not ticketable alone', () => {
    const { send, tick } = setup()
    expect(send('terminal-1', { status: 'fault' })).toEqual([])
    expect(send('door-x', { fault_active: true })).toEqual([])
    expect(tick(1000)).toEqual([])
  })

  it('after a restart, an alarm still open continues its episode: no second ticket', () => {
    const { fake, send, tick } = setup()
    fake.openAlarm(facilityFaultKey('ac-1'), { conditionActive: true, details: { faultCode: '5' } })
    const intents = send('ac-1', { fault_active: true, fault_code: 5 })
    expect(ofType(intents, 'raise')).toHaveLength(1)
    expect(ofType(tick(1000), 'ticket_request')).toEqual([])
  })
})
