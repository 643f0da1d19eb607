import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

describe('alarm management: shelving, chattering, floods and inhibition', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest()
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('a mains contact that chatters becomes one chattering alarm, then settles to its last state', async () => {
    const key = 'power_outage:ups-1'
    for (let i = 0; i < 5; i++) {
      await store.send('ups-1', { mains_ok: false })
      await new Promise((r) => setTimeout(r, 50))
      await store.send('ups-1', { mains_ok: true })
      await new Promise((r) => setTimeout(r, 50))
    }
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.key === key && a.chattering), 15_000, 'chattering')
    // five cycles, but only the first three reached the alarm: the rest were suppressed
    const raised = (e: { alarm: { key: string }; action: string }) => e.alarm.key === key && e.action === 'raised'
    await store.eventsUntil('alarm', raised, 3)
    await new Promise((r) => setTimeout(r, 300))
    expect(store.events('alarm').filter(raised)).toHaveLength(3)
    expect((await store.get('/api/alarms')).alarms.filter((a: { key: string }) => a.key === key)).toHaveLength(1)
    // quiet for the settle time (3 s in the test store): no longer chattering, and its last state (mains back) applied
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.key === key && !a.chattering && !a.conditionActive),
      8000,
    )
  })

  it('staff can shelve a flood alarm for a time with a reason; it comes back by itself', async () => {
    await store.send('leak-entrance-1', { water_leak: true })
    const alarm = await store.alarmByKey('flood:entrance')
    const viewer = await store.post(`/api/alarms/${alarm.id}/shelve`, SECRETS.viewer, {
      durationSec: 2,
      reason: 'mopping',
    })
    expect(viewer.status).toBe(403)
    const noReason = await store.post(`/api/alarms/${alarm.id}/shelve`, SECRETS.staff, { durationSec: 2 })
    expect(noReason.status).toBe(400)
    const shelved = await store.post(`/api/alarms/${alarm.id}/shelve`, SECRETS.staff, {
      durationSec: 2,
      reason: 'mopping',
    })
    expect(shelved.status).toBe(200)
    expect(shelved.json.alarm).toMatchObject({ shelvedBy: 'stan', shelveReason: 'mopping' })
    await store.alarmsSatisfy(
      (alarms) => alarms.some((a) => a.id === alarm.id && a.shelvedUntil === null),
      5000,
      'unshelved',
    )
    const unshelved = await store.eventsUntil(
      'alarm',
      (e) => e.alarm.id === alarm.id && e.action === 'unshelved',
      1,
      'the unshelved event',
    )
    expect(unshelved).toHaveLength(1)
    expect(store.events('alarm').some((e) => e.alarm.id === alarm.id && e.action === 'shelved')).toBe(true)
  })

  it('a fire alarm cannot be shelved', async () => {
    await store.send('smoke-hall-2', { smoke: true })
    const fire = await store.alarmByKey('fire:hall')
    const r = await store.post(`/api/alarms/${fire.id}/shelve`, SECRETS.manager, { durationSec: 60, reason: 'drill' })
    expect(r.status).toBe(409)
  })

  it('during a fire in the hall, a hall detector’s fault is inhibited; the same fault elsewhere is not', async () => {
    await store.alarmByKey('fire:hall')
    await store.send('smoke-hall-2', { smoke: true, tamper: true })
    await store.send('heat-back-1', { temperature: 22, tamper: true })
    await store.alarmByKey('device_fault:heat-back-1:tamper')
    const open = (await store.get('/api/alarms')).alarms.map((a: { key: string }) => a.key)
    expect(open).not.toContain('device_fault:smoke-hall-2:tamper')
  })

  it('ten alarms in ten minutes send one alarm-flood summary for managers, silent alarms not counted', async () => {
    const before = store.events('alarm_flood').length
    // the silent ones first: a robbery and the panic button's faults, which the summary must not count
    await store.send('panic-counter-1', { pressed: true, battery_low: true, tamper: true })
    for (const id of ['smoke-hall-1', 'water-level-1', 'leak-entrance-1', 'ups-1', 'terminal-1']) {
      await store.send(id, { battery_low: true, tamper: true })
    }
    await store.send('ups-1', { mains_ok: false })
    await store.send('heat-back-1', { temperature: 22, battery_low: true })
    await store.send('terminal-1', { status: 'fault', fault_codes: ['screen'] })
    await store.send('business-system', { up: false })
    await eventually(async () => (store.events('alarm_flood').length > before ? true : undefined), 15_000, 'flood')
    await new Promise((r) => setTimeout(r, 300))
    const floods = store.events('alarm_flood').slice(before)
    expect(floods).toHaveLength(1)
    expect(floods[0]).toMatchObject({ action: 'started', windowSec: 600 })
    expect(floods[0].count).toBeGreaterThanOrEqual(10)
    // it counts the alarms staff were given, every one raised so far in the window, and no silent one
    const events = store.recorded.filter((r) => r.topic.endsWith('/events')).map((r) => JSON.parse(r.payload))
    const raisedBefore = events
      .slice(
        0,
        events.findIndex((e) => e.type === 'alarm_flood'),
      )
      .filter((e) => e.type === 'alarm' && e.action === 'raised')
    expect(raisedBefore.some((e) => e.alarm.silent)).toBe(true)
    expect(floods[0].count).toBe(raisedBefore.filter((e) => !e.alarm.silent).length)
    expect(floods[0].byKind.robbery).toBeUndefined()
  })
})
