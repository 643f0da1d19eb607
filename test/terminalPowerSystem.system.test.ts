import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { terminalChecklist } from '../rules/checklists/terminal.js'
import { eventually } from './support/api.js'
import { shippedTexts } from './support/shippedTexts.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

const hasNotice = async (store: StoreUnderTest, key: string, audience?: string) =>
  (await store.get(`/api/notices${audience ? `?audience=${audience}` : ''}`)).notices.find(
    (n: { key: string }) => n.key === key,
  )

/**
 * docs/requirements.md#mqtt-topics: the notice is retained on `notices/<id>`: a client that subscribes
 * later (signage, an app) is handed it, with both languages.
 */
async function expectRetainedNotice(
  store: StoreUnderTest,
  notice: { id: string; audience: string; texts: { 'zh-CN': string; en: string } },
) {
  const retained = await store.retainedForNewcomer(`notices/${notice.id}`)
  expect(retained?.retain).toBe(true)
  expect(JSON.parse(retained?.payload ?? '{}')).toMatchObject({
    id: notice.id,
    audience: notice.audience,
    active: true,
    texts: { 'zh-CN': notice.texts['zh-CN'], en: notice.texts.en },
  })
}

/** Withdrawn: gone from the API, an empty retained payload on its topic, nothing for a new subscriber. */
async function expectNoticeWithdrawn(store: StoreUnderTest, notice: { id: string; key: string }) {
  await eventually(async () => ((await hasNotice(store, notice.key)) ? undefined : true), 15_000, `${notice.key} gone`)
  await eventually(async () => (store.retainedNotice(notice.id) === '' ? true : undefined), 15_000, 'notice removed')
  expect(await store.retainedForNewcomer(`notices/${notice.id}`, 1000)).toBeUndefined()
}

/** A non-latching alarm that has cleared: staff acknowledge it and it closes, its retained MQTT copy removed. */
async function ackToClosed(store: StoreUnderTest, id: string) {
  const ack = await store.post(`/api/alarms/${id}/ack`, SECRETS.staff)
  expect(ack.status).toBe(200)
  expect(ack.json.alarm).toMatchObject({ state: 'closed', ackedBy: 'stan' })
  await eventually(async () => (store.retainedAlarm(id) === '' ? true : undefined), 15_000, `${id} removed on MQTT`)
  expect((await store.get('/api/alarms', SECRETS.manager)).alarms.map((a: { id: string }) => a.id)).not.toContain(id)
  expect(await store.retainedForNewcomer(`alarms/${id}`, 1000)).toBeUndefined()
}

/**
 * Runs `work` while the terminal keeps reporting healthy every second: its heartbeat in the test
 * store is 4 s, and a terminal that falls silent meanwhile would be offline — a new fault — again.
 */
async function whileHealthy<T>(store: StoreUnderTest, work: () => Promise<T>): Promise<T> {
  const healthy = () => store.send('terminal-1', { status: 'ok', fault_codes: [], paper_low: false })
  await healthy()
  const timer = setInterval(() => void healthy().catch(() => undefined), 1000)
  try {
    return await work()
  } finally {
    clearInterval(timer)
  }
}

/** The open alarm for `key` once it is in `state` (API and MQTT agreeing). */
const alarmInState = (store: StoreUnderTest, key: string, state: string, timeoutMs = 15_000) =>
  eventually(
    async () => {
      const alarm = await store.alarmByKey(key, timeoutMs)
      return alarm.state === state ? alarm : undefined
    },
    timeoutMs,
    `${key} ${state}`,
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
    expect(alarm).toMatchObject({
      kind: 'terminal_fault',
      severity: 'major',
      state: 'active_unacked',
      latching: false,
      silent: false,
      deviceId: 'terminal-1',
    })
    expect(alarm.checklist).toEqual(terminalChecklist)
    expect(alarm.details.faultCodes).toBe('printer,card_reader')
    const notice = await store.noticeByKey('terminal_fault:terminal-1', 'customer')
    expect(notice).toMatchObject({ audience: 'customer', deviceId: 'terminal-1' })
    expect(notice.texts['zh-CN']).toMatch(/抱歉|敬请谅解/)
    expect(notice.texts.en).toMatch(/apologi[sz]e|sorry/i)
    await expectRetainedNotice(store, notice)
    // the same report as a JSON list: the same fault, no second ticket
    await store.send('terminal-1', { status: 'fault', fault_codes: ['printer', 'card_reader'] })
    await eventually(async () => (store.events('ticket_request').length > 0 ? true : undefined))
    await new Promise((r) => setTimeout(r, 300))
    expect(store.events('ticket_request')).toHaveLength(1)
    expect(store.events('ticket_request')[0]).toMatchObject({ deviceId: 'terminal-1', alarmId: alarm.id })
    expect((await store.alarmByKey('terminal_fault:terminal-1')).details.faultCodes).toBe('printer,card_reader')
  })

  it('healthy again for the settle time clears the alarm and takes the notice down; an ack closes it', async () => {
    const notice = await store.noticeByKey('terminal_fault:terminal-1', 'customer')
    const healthyFrom = Date.now()
    await whileHealthy(store, async () => {
      const cleared = await alarmInState(store, 'terminal_fault:terminal-1', 'cleared_unacked')
      expect(cleared.conditionActive).toBe(false)
      // not before the settle time (2 s in the test store) after it first reported healthy
      expect(Date.parse(cleared.clearedAt) - healthyFrom).toBeGreaterThanOrEqual(2000)
      await expectNoticeWithdrawn(store, notice)
      await ackToClosed(store, cleared.id)
    })
  })

  it('paper low is a staff notice only: no alarm, nothing for customers', async () => {
    await store.send('terminal-1', { status: 'degraded', fault_codes: 'paper_low', paper_low: true })
    const notice = await store.noticeByKey('terminal_warning:terminal-1', 'staff')
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
    const offline = await eventually(
      async () => {
        const alarm = await store.alarmByKey('terminal_fault:terminal-1', 10_000)
        return alarm.details.offline === true && alarm.conditionActive ? alarm : undefined
      },
      10_000,
      'terminal offline',
    )
    expect(offline).toMatchObject({
      kind: 'terminal_fault',
      severity: 'major',
      state: 'active_unacked',
      latching: false,
      silent: false,
      deviceId: 'terminal-1',
    })
    expect(offline.checklist).toEqual(terminalChecklist)
    expect(offline.messages.en).toMatch(/offline/i)
    const notice = await store.noticeByKey('terminal_fault:terminal-1', 'customer')
    await expectRetainedNotice(store, notice)
  })

  it('while the terminal is offline its own silence is not raised again as a separate device fault', async () => {
    // supervision finds it silent after two heartbeats (8 s): the offline terminal alarm inhibits that fault
    const inhibited = (line: string) =>
      line.includes('"alarm inhibited"') &&
      line.includes('device_fault:terminal-1:silent') &&
      line.includes('terminal_offline')
    const raisedFault = (e: { action: string; alarm: { key: string } }) =>
      e.action === 'raised' && e.alarm.key === 'device_fault:terminal-1:silent'
    await eventually(
      async () => (store.gateway.output.some(inhibited) || store.events('alarm').some(raisedFault) ? true : undefined),
      15_000,
      'the supervision verdict on the silent terminal',
    )
    expect(store.events('alarm').filter(raisedFault)).toEqual([])
    const keys = (await store.get('/api/alarms', SECRETS.manager)).alarms.map((a: { key: string }) => a.key)
    expect(keys).toContain('terminal_fault:terminal-1')
    expect(keys.filter((k: string) => k.startsWith('device_fault:terminal-1'))).toEqual([])
  }, 30_000)

  it('heard healthy again after its silence, it clears alarm and customer notice after the settle time', async () => {
    const notice = await store.noticeByKey('terminal_fault:terminal-1', 'customer')
    const healthyFrom = Date.now()
    await whileHealthy(store, async () => {
      const cleared = await alarmInState(store, 'terminal_fault:terminal-1', 'cleared_unacked')
      expect(cleared).toMatchObject({ conditionActive: false, latching: false })
      expect(Date.parse(cleared.clearedAt) - healthyFrom).toBeGreaterThanOrEqual(2000)
      await expectNoticeWithdrawn(store, notice)
      // and back to normal: no device fault left behind for it either
      const keys = (await store.get('/api/alarms', SECRETS.manager)).alarms.map((a: { key: string }) => a.key)
      expect(keys.filter((k: string) => k.startsWith('device_fault:terminal-1'))).toEqual([])
      await ackToClosed(store, cleared.id)
    })
  })

  it('mains lost raises a power alarm with the staff checklist and a customer notice; mains back clears both', async () => {
    await store.send('ups-1', { mains_ok: false, on_battery: true, battery_pct: 80, runtime_min: 25 })
    const alarm = await store.alarmByKey('power_outage:ups-1')
    expect(alarm).toMatchObject({
      kind: 'power_outage',
      severity: 'major',
      state: 'active_unacked',
      latching: false,
      silent: false,
      deviceId: 'ups-1',
    })
    expect(alarm.checklist).toEqual(shippedTexts.checklist('power.checklist'))
    expect(alarm.checklist['zh-CN'].join()).toMatch(/10086/)
    const notice = await store.noticeByKey('power_outage:ups-1', 'customer')
    expect(notice.texts['zh-CN']).toMatch(/供电故障/)
    expect(notice.texts.en).toMatch(/power failure/i)
    await expectRetainedNotice(store, notice)

    await store.send('ups-1', { mains_ok: true, on_battery: false })
    const cleared = await alarmInState(store, 'power_outage:ups-1', 'cleared_unacked')
    expect(cleared).toMatchObject({ id: alarm.id, conditionActive: false })
    await expectNoticeWithdrawn(store, notice)
    await ackToClosed(store, alarm.id)
  })

  it('the business system down is a staff alarm with a customer notice, escalated at the report and clear deadlines', async () => {
    await store.send('business-system', { up: false })
    const alarm = await store.alarmByKey('system_fault:business-system')
    expect(alarm).toMatchObject({
      kind: 'system_fault',
      severity: 'major',
      state: 'active_unacked',
      latching: false,
      silent: false,
      escalationLevel: 0,
    })
    expect(alarm.checklist).toEqual(shippedTexts.checklist('system.checklist'))
    expect(alarm.checklist['zh-CN'][0]).toMatch(/5 分钟/)
    const notice = await store.noticeByKey('system_fault:business-system', 'customer')
    expect(notice.texts.en).toMatch(/handwritten receipt/)
    await expectRetainedNotice(store, notice)
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
    expect((await store.alarmByKey('system_fault:business-system')).state).toBe('active_unacked')
    await store.send('business-system', { up: true })
    const cleared = await alarmInState(store, 'system_fault:business-system', 'cleared_unacked')
    expect(cleared).toMatchObject({ id: alarm.id, conditionActive: false })
    await expectNoticeWithdrawn(store, notice)
    await ackToClosed(store, alarm.id)
  })
})
