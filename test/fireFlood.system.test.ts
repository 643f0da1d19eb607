import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { SECRETS } from './support/testStore.js'

describe('fire and flood through the running gateway', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest()
  })
  afterAll(async () => {
    await store?.stop()
  })

  it('heat over the threshold raises a fire, sounds the siren and strobe; ack silences, reset darkens', async () => {
    await store.send('heat-back-1', { temperature: 63 })
    const alarm = await store.alarmByKey('fire:backroom')
    expect(alarm).toMatchObject({
      kind: 'fire',
      severity: 'critical',
      state: 'active_unacked',
      latching: true,
      silent: false,
    })
    expect(alarm.checklist['zh-CN'].join()).toContain('119')
    await eventually(async () => (store.retainedAlarm(alarm.id)?.kind === 'fire' ? true : undefined))
    await eventually(async () => (store.outputs().length >= 2 ? true : undefined))
    expect(store.outputs()).toEqual(['siren-1:{"on":true}', 'strobe-1:{"on":true}'])

    expect((await store.post(`/api/alarms/${alarm.id}/ack`, SECRETS.staff)).status).toBe(200)
    await eventually(async () => (store.outputs().length === 3 ? true : undefined))
    expect(store.outputs()[2]).toBe('siren-1:{"on":false}')

    await store.send('heat-back-1', { temperature: 24 })
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.id === alarm.id && !a.conditionActive))
    const reset = await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.staff, { note: 'kettle' })
    expect(reset.json.alarm.state).toBe('closed')
    await eventually(async () => (store.outputs().at(-1) === 'strobe-1:{"on":false}' ? true : undefined))
    await eventually(async () => (store.retainedAlarm(alarm.id) === '' ? true : undefined))
  })

  it('smoke in the hall and heat in the back room within two minutes confirm the fire and escalate it', async () => {
    await store.send('smoke-hall-2', { smoke: true })
    await store.alarmByKey('fire:hall')
    await store.send('heat-back-1', { heat_alarm: true })
    const hall = await eventually(async () => {
      const a = await store.alarmByKey('fire:hall')
      return a.escalationLevel === 1 ? a : undefined
    })
    expect(hall.details.confirmed).toBe(true)
    expect(hall.messages.en).toMatch(/^Confirmed fire/)
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.key === 'fire:backroom' && a.escalationLevel === 1))
    const escalatedKeys = (await store.eventsUntil('alarm', (e) => e.action === 'escalated', 2))
      .map((e) => e.alarm.key)
      .sort()
    expect(escalatedKeys).toEqual(['fire:backroom', 'fire:hall'])
  })

  it('a rising water level raises a major flood alarm with the predicted time to critical, then critical', async () => {
    // the test store predicts from 30 s of history once readings span 3 s
    for (const level of [1.0, 1.6, 2.2]) {
      await store.send('water-level-1', { level_cm: level })
      await new Promise((r) => setTimeout(r, 1600))
    }
    const major = await store.alarmByKey('flood:entrance')
    expect(major).toMatchObject({ kind: 'flood', severity: 'major', latching: false, silent: false })
    expect(major.checklist.en.join(' ')).toMatch(/sandbag/i)
    expect(major.details.level_cm ?? major.details.levelCm).toBeDefined()
    expect(major.message).toMatch(/critical in about/)

    await store.send('water-level-1', { level_cm: 5.2 })
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.key === 'flood:entrance' && a.severity === 'critical'))
  })

  it('the flood alarm clears only after the level has stayed below warning minus hysteresis for the hold time', async () => {
    await store.send('water-level-1', { level_cm: 1.7 }) // below 2, not below 2 - 0.5
    await new Promise((r) => setTimeout(r, 2500))
    expect((await store.alarmByKey('flood:entrance')).conditionActive).toBe(true)
    await store.send('water-level-1', { level_cm: 0.5 })
    const alarm = await store.alarmByKey('flood:entrance')
    await new Promise((r) => setTimeout(r, 800))
    expect((await store.alarmByKey('flood:entrance')).conditionActive).toBe(true)
    await store.alarmsSatisfy((alarms) => alarms.some((a) => a.id === alarm.id && a.state === 'cleared_unacked'), 6000)
  })

  it('a rainstorm warning posts a staff notice to prepare flood defences, and its cancellation withdraws it', async () => {
    await store.weather({ kind: 'rainstorm', level: 'orange', text: '暴雨橙色预警' })
    const notice = await eventually(async () =>
      (await store.get('/api/notices?audience=staff')).notices.find(
        (n: { key: string }) => n.key === 'weather:rainstorm',
      ),
    )
    expect(notice.texts.en).toMatch(/sandbag/i)
    expect((await store.get('/api/notices?audience=customer')).notices).toEqual([])
    await store.weather({ kind: 'rainstorm', level: 'orange', cancelled: true })
    await eventually(async () =>
      (await store.get('/api/notices')).notices.some((n: { key: string }) => n.key === 'weather:rainstorm')
        ? undefined
        : true,
    )
  })
})
