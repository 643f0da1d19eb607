import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { robberyChecklist } from '../rules/checklists/robbery.js'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

/** Robbery (docs/requirements.md#robbery): no customer notice, ever — none retained on MQTT, none in the API (nor any notice at all). */
async function expectNoNotice(store: StoreUnderTest) {
  expect(store.recorded.filter((r) => r.topic.includes('/notices/'))).toEqual([])
  expect((await store.get('/api/notices', SECRETS.manager)).notices).toEqual([])
  expect((await store.get('/api/notices?audience=customer', SECRETS.manager)).notices).toEqual([])
}

describe('robbery: the silent panic alarm', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest()
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('a panic button raises a silent, latching, critical robbery alarm with the 110 checklist, and nothing sounds', async () => {
    await store.send('panic-counter-1', { pressed: true })
    const alarm = await store.alarmByKey('robbery:panic-counter-1')
    expect(alarm).toMatchObject({
      kind: 'robbery',
      severity: 'critical',
      state: 'active_unacked',
      silent: true,
      latching: true,
      resetRole: 'manager',
    })
    expect(alarm.checklist).toEqual(robberyChecklist)
    expect(alarm.checklist['zh-CN'].join()).toContain('110')
    expect(alarm.checklist.en.join(' ')).toMatch(/120/)
    await eventually(async () => (store.retainedAlarm(alarm.id)?.silent === true ? true : undefined))
    // give any (wrong) siren command or notice time to show up
    await new Promise((r) => setTimeout(r, 500))
    expect(store.outputs()).toEqual([])
    await expectNoNotice(store)
  })

  it('a cut panic loop is a robbery alarm too, not silence', async () => {
    await store.send('panic-counter-1', { pressed: false, loop_ok: false })
    const alarm = await eventually(async () => {
      const a = await store.alarmByKey('robbery:panic-counter-1')
      return a.details.loopCut === true ? a : undefined
    })
    expect(alarm).toMatchObject({ kind: 'robbery', severity: 'critical', silent: true, latching: true })
    expect(alarm.conditionActive).toBe(true)
    expect(alarm.messages.en).toMatch(/loop is cut/)
    expect(store.outputs()).toEqual([])
    await expectNoNotice(store)
  })

  it('to staff it does not exist (404); a manager must reset it, with a note, and the reset is audited', async () => {
    await store.send('panic-counter-1', { pressed: false, loop_ok: true })
    const alarm = await eventually(async () => {
      const a = await store.alarmByKey('robbery:panic-counter-1')
      return a.conditionActive ? undefined : a
    })
    expect((await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.staff, { note: 'all fine' })).status).toBe(404)
    const noNote = await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.manager)
    expect(noNote.status).toBe(400)
    expect(noNote.json.error.code).toBe('note_required')
    const reset = await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.manager, {
      note: 'police attended, report 118',
    })
    expect(reset.status).toBe(200)
    expect(reset.json.alarm).toMatchObject({ state: 'closed', resetBy: 'mona', note: 'police attended, report 118' })
    const history = (await store.get(`/api/alarms/${alarm.id}/history`, SECRETS.manager)).history
    // as confidential as the alarm: to a viewer there is no such alarm, closed or not
    expect((await store.get(`/api/alarms/${alarm.id}/history`)).error.code).toBe('alarm_not_found')
    expect(history.at(-1)).toMatchObject({ action: 'reset', by: 'mona' })
    expect(history.at(-1).alarm.note).toBe('police attended, report 118')
    // closed: its retained copy is removed, and a client subscribing now is handed nothing
    await eventually(async () => (store.retainedAlarm(alarm.id) === '' ? true : undefined), 15_000, 'removed on MQTT')
    expect(await store.retainedForNewcomer(`alarms/${alarm.id}`, 1000)).toBeUndefined()
    expect((await store.get('/api/alarms', SECRETS.manager)).alarms.map((a: { id: string }) => a.id)).not.toContain(
      alarm.id,
    )
    expect(store.outputs()).toEqual([])
    await expectNoNotice(store)
  })

  it('a robbery alarm can never be shelved', async () => {
    await store.send('panic-counter-1', { action: 'emergency' })
    const alarm = await store.alarmByKey('robbery:panic-counter-1')
    const shelve = await store.post(`/api/alarms/${alarm.id}/shelve`, SECRETS.manager, {
      durationSec: 60,
      reason: 'test',
    })
    expect(shelve.status).toBe(409)
    expect(shelve.json.error.code).toBe('shelve_not_allowed')
  })

  it('tamper on the panic button is a device fault, not a robbery, and silent too: robbers may be at work', async () => {
    await store.send('panic-counter-1', { tamper: true })
    const fault = await store.alarmByKey('device_fault:panic-counter-1:tamper')
    expect(fault).toMatchObject({ kind: 'device_fault', severity: 'minor', silent: true })
    // give any (wrong) siren command or notice time to show up
    await new Promise((r) => setTimeout(r, 500))
    expect(store.outputs()).toEqual([])
    await expectNoNotice(store)
  })

  it('the unauthenticated health check never reveals a silent alarm', async () => {
    const health = (await (await fetch(`${store.gateway.apiUrl}/healthz`)).json()) as { openAlarms: number }
    const open = (await store.get('/api/alarms', SECRETS.manager)).alarms
    expect(open.some((a: { silent: boolean }) => a.silent)).toBe(true)
    expect(health.openAlarms).toBe(open.filter((a: { silent: boolean }) => !a.silent).length)
  })
})
