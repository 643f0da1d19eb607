import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'

/** The hall is listed under the names staff use; the backroom is not, so it keeps its id. */
const ZONES = `zones:
  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }
`

/**
 * Alarm messages name zones by what staff call them, in each language, on the API and on MQTT
 * alike (docs/requirements.md#console); the alarm's `zone` field and key stay ids.
 */
describe('zone names in alarm messages, through the running gateway', () => {
  let store: StoreUnderTest
  beforeAll(async () => {
    store = await startStoreUnderTest({ extraYaml: ZONES })
  })
  afterAll(async () => {
    await store?.stop()
  })

  it("a fire's message on /api/alarms and on MQTT says the zone's name in zh-CN and en", async () => {
    await store.send('smoke-hall-2', { smoke: true })
    const alarm = await store.alarmByKey('fire:hall')
    const messages = {
      'zh-CN': '火警：smoke-hall-2 检测到烟雾（营业厅）',
      en: 'Fire: smoke detected by smoke-hall-2 in Sales hall',
    }
    expect(alarm).toMatchObject({ zone: 'hall', messages, message: messages.en })
    const onMqtt = await eventually(async () => store.retainedAlarm(alarm.id) || undefined)
    expect(onMqtt).toMatchObject({ zone: 'hall', messages, message: messages.en })
  })

  it('a zone not listed is named by its id, marked as a zone', async () => {
    // not a second fire: two detectors within the confirmation window make it a "confirmed fire" instead
    await store.send('ups-1', { mains_ok: false })
    const alarm = await store.alarmByKey('power_outage:ups-1')
    expect(alarm.zone).toBe('backroom')
    expect(alarm.messages).toEqual({
      'zh-CN': '停电告警：backroom 区 ups-1 市电中断',
      en: 'Power cut at ups-1 in zone backroom: mains power lost',
    })
  })
})
