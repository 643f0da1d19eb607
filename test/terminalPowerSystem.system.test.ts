import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'

const hasNotice = async (store: StoreUnderTest, key: string, audience?: string) =>
  (await store.get(`/api/notices${audience ? `?audience=${audience}` : ''}`)).notices.find(
    (n: { key: string }) => n.key === key,
  )

describe('self-service terminal, power and business system through the running gateway', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest({ terminalHeartbeatSec: 4 })
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('a terminal fault code raises the alarm, a polite customer notice on that terminal, and one ticket request', async () => {
    await store.send('terminal-1', { status: 'fault', fault_codes: 'printer,card_reader' })
    const alarm = await store.alarmByKey('terminal_fault:terminal-1')
    expect(alarm).toMatchObject({ kind: 'terminal_fault', severity: 'major', latching: false, silent: false })
    expect(alarm.details.faultCodes).toBe('printer,card_reader')
    const notice = await eventually(() => hasNotice(store, 'terminal_fault:terminal-1', 'customer'))
    expect(notice).toMatchObject({ audience: 'customer', deviceId: 'terminal-1' })
    expect(notice.texts['zh-CN']).toMatch(/抱歉|敬请谅解/)
    expect(notice.texts.en).toMatch(/apologi[sz]e|sorry/i)
    await store.send('terminal-1', { status: 'fault', fault_codes: 'printer,card_reader' })
    await eventually(async () => (store.events('ticket_request').length > 0 ? true : undefined))
    await new Promise((r) => setTimeout(r, 300))
    expect(store.events('ticket_request')).toHaveLength(1)
    expect(store.events('ticket_request')[0]).toMatchObject({ deviceId: 'terminal-1', alarmId: alarm.id })
  })

  it('healthy again for the settle time clears the alarm and takes the notice down', async () => {
    await store.send('terminal-1', { status: 'ok', fault_codes: '' })
    await new Promise((r) => setTimeout(r, 1000))
    expect(await hasNotice(store, 'terminal_fault:terminal-1')).toBeDefined()
    await store.send('terminal-1', { status: 'ok', fault_codes: '' })
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.key === 'terminal_fault:terminal-1' && !a.conditionActive),
      6000,
    )
    expect(await hasNotice(store, 'terminal_fault:terminal-1')).toBeUndefined()
  })

  it('paper low is a staff notice only: no alarm, nothing for customers', async () => {
    await store.send('terminal-1', { status: 'degraded', fault_codes: 'paper_low', paper_low: true })
    const notice = await eventually(() => hasNotice(store, 'terminal_warning:terminal-1', 'staff'))
    expect(notice.texts.en).toMatch(/paper/i)
    const open = (await store.get('/api/alarms')).alarms
    expect(
      open.filter(
        (a: { key: string; conditionActive: boolean }) => a.key === 'terminal_fault:terminal-1' && a.conditionActive,
      ),
    ).toEqual([])
    expect((await store.get('/api/notices?audience=customer')).notices).toEqual([])
  })

  it('a terminal that goes silent past its heartbeat raises the alarm and the customer notice', async () => {
    const offline = await store.alarmsSatisfy(
      (alarms) =>
        alarms.some((a) => a.key === 'terminal_fault:terminal-1' && a.conditionActive && a.details.offline === true),
      10_000,
      'terminal offline',
    )
    expect(offline).toBe(true)
    expect(await hasNotice(store, 'terminal_fault:terminal-1', 'customer')).toBeDefined()
  })

  it('mains lost raises a power alarm with the staff checklist and a customer notice; mains back clears both', async () => {
    await store.send('ups-1', { mains_ok: false, on_battery: true, battery_pct: 80, runtime_min: 25 })
    const alarm = await store.alarmByKey('power_outage:ups-1')
    expect(alarm).toMatchObject({ kind: 'power_outage', severity: 'major', silent: false })
    expect(alarm.checklist['zh-CN'].join()).toMatch(/10086/)
    expect(await eventually(() => hasNotice(store, 'power_outage:ups-1', 'customer'))).toBeDefined()
    await store.send('ups-1', { mains_ok: true, on_battery: false })
    await store.alarmsSatisfy((alarms) =>
      alarms.some((a) => a.key === 'power_outage:ups-1' && a.state === 'cleared_unacked'),
    )
    await eventually(async () => ((await hasNotice(store, 'power_outage:ups-1')) ? undefined : true))
  })

  it('the business system down is a staff alarm, escalated at the report and clear deadlines', async () => {
    await store.send('business-system', { up: false })
    const alarm = await store.alarmByKey('system_fault:business-system')
    expect(alarm).toMatchObject({ kind: 'system_fault', severity: 'major', escalationLevel: 0 })
    // test store: report within 0.05 min (3 s), clear within 0.1 min (6 s)
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.id === alarm.id && a.escalationLevel === 1),
      6000,
      'level 1',
    )
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.id === alarm.id && a.escalationLevel === 2),
      8000,
      'level 2',
    )
    const escalations = await store.eventsUntil(
      'alarm',
      (e) => e.action === 'escalated' && e.alarm.id === alarm.id,
      2,
      'both escalation events',
    )
    expect(escalations.map((e) => e.alarm.escalationLevel)).toEqual([1, 2])
    await store.send('business-system', { up: true })
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.id === alarm.id && !a.conditionActive))
  })
})
