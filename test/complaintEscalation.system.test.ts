import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  complaintAggressiveChecklist,
  complaintChecklist,
  complaintGroupChecklist,
  complaintPressChecklist,
} from '../rules/checklists/complaint.js'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type GpiodStandIns, gpiodStandIns } from './support/gpiodStandIns.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './support/testStore.js'
import { startWebhookReceiver } from './support/webhookReceiver.js'

type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>

/** The webhook posts of complaint alarms that reached `path` (one recipient). */
// biome-ignore lint/suspicious/noExplicitAny: system tests read webhook JSON as it comes off the wire
const complaintHooks = (receiver: Receiver, path: string): any[] =>
  receiver.received.filter((r) => r.path === path && r.body.event?.alarm?.kind === 'complaint_escalation')

/** docs/requirements.md#escalated-complaint: raised by staff or a button, quiet, for the duty manager and the complaint supervisor. */
describe('escalated complaint: raised from the console or a button, heard by the managers, sounded nowhere', () => {
  let store: StoreUnderTest
  let receiver: Receiver

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    store = await startStoreUnderTest({
      extraDevices:
        '  - { id: complaint-counter-1, type: complaint_button, zone: counter, name: Counter complaint button }\n',
      // a catch-all route sounds the hall siren for every major alarm: it must still never sound for a complaint
      extraYaml: `notifications:
  enabled: true
  groupWindowSec: 0
  channels:
    - { id: duty-manager, kind: webhook, url: "${receiver.url}/duty-manager" }
    - { id: complaint-supervisor, kind: webhook, url: "${receiver.url}/complaint-supervisor" }
  outputs:
    - { id: hall-siren, devices: [siren-1], until: closed }
  routes:
    - { kinds: [complaint_escalation], channels: [duty-manager, complaint-supervisor] }
    - { minSeverity: major, channels: [hall-siren] }
`,
    })
  })
  afterAll(async () => {
    await store?.stop()
    await receiver?.close()
  })

  it('staff raise it from the console API; the duty manager and the complaint supervisor get it with its checklist', async () => {
    const raised = await store.post('/api/complaints', SECRETS.staff, {
      situations: ['group', 'press'],
      zone: 'hall',
      note: 'about 8 people, a reporter with a camera',
    })
    expect(raised.status).toBe(201)
    const alarm = raised.json.alarm
    expect(alarm).toMatchObject({
      key: 'complaint_escalation:hall',
      kind: 'complaint_escalation',
      severity: 'major',
      state: 'active_unacked',
      silent: false,
      latching: true,
      resetRole: 'manager',
      zone: 'hall',
      details: { group: true, press: true, aggressive: false, trigger: 'console' },
    })
    expect(alarm.message).toContain('reported by stan')
    expect(alarm.checklist).toEqual({
      'zh-CN': [
        ...complaintChecklist['zh-CN'],
        ...complaintGroupChecklist['zh-CN'],
        ...complaintPressChecklist['zh-CN'],
      ],
      en: [...complaintChecklist.en, ...complaintGroupChecklist.en, ...complaintPressChecklist.en],
    })
    // not silent: the staff who raised it see it too, and it is on MQTT like every alarm
    const staffList = (await store.get('/api/alarms', SECRETS.staff)).alarms
    expect(staffList.map((a: { id: string }) => a.id)).toContain(alarm.id)
    await store.alarmByKey('complaint_escalation:hall')

    for (const recipient of ['/duty-manager', '/complaint-supervisor']) {
      const [hook] = await eventually(
        async () => (complaintHooks(receiver, recipient).length > 0 ? complaintHooks(receiver, recipient) : undefined),
        15_000,
        `the complaint at ${recipient}`,
      )
      expect(hook.body.event).toMatchObject({ type: 'alarm', action: 'raised', alarm: { id: alarm.id, zone: 'hall' } })
      expect(hook.body.event.alarm.checklist).toEqual(alarm.checklist)
      // the text a person reads (robot, SMS, e-mail) carries the steps too
      expect(hook.body.message.text).toContain(complaintPressChecklist.en[0])
    }
  })

  it('posts no customer notice and sounds nothing, though a route sounds the siren for every other major alarm', async () => {
    // the report's intents were applied before the API answered: a notice would be listed by now
    expect((await store.get('/api/notices', SECRETS.manager)).notices).toEqual([])
    // a flood after it is the control: the catch-all route sounds the siren for it, so an output command
    // for the complaint, raised first, would have been recorded before the flood's alarm message
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await store.alarmOfKind('flood')
    await eventually(async () => (store.outputs().length > 0 ? true : undefined), 15_000, 'the siren for the flood')
    const floodAt = store.recorded.findIndex((r) => r.topic === `${PREFIX}/alarms/${flood.id}`)
    const firstCommand = store.recorded.findIndex((r) => r.topic.endsWith('/set'))
    expect(store.outputs()[0]).toMatch(/^siren-1:/)
    expect(firstCommand).toBeGreaterThan(floodAt)
    const beforeFlood = store.recorded.slice(0, floodAt)
    expect(beforeFlood.filter((r) => r.topic.includes('/notices/'))).toEqual([])
    await store.send('leak-entrance-1', { water_leak: false })
  })

  it('a second report for the zone adds its situation to the same alarm, with the 110 step', async () => {
    const again = await store.post('/api/complaints', SECRETS.manager, {
      situations: ['aggressive'],
      zone: 'hall',
      // a line break and a bidi override must not reach the SMS or the journal as they are
      note: 'leader\nshouting \u202eat staff',
    })
    expect(again.status).toBe(200)
    const alarm = again.json.alarm
    expect(alarm.details.reportNote).toBe('leader shouting at staff')
    expect(alarm.key).toBe('complaint_escalation:hall')
    expect(alarm.details).toMatchObject({ group: true, press: true, aggressive: true })
    expect(alarm.checklist.en).toEqual(expect.arrayContaining([...complaintAggressiveChecklist.en]))
    expect(alarm.checklist['zh-CN'].join()).toContain('110')
    const open = (await store.get('/api/alarms', SECRETS.manager)).alarms
    expect(open.filter((a: { kind: string }) => a.kind === 'complaint_escalation')).toHaveLength(1)
  })

  it('refuses a viewer (403), a missing token (401) and a bad report (400, naming the field)', async () => {
    const body = { situations: ['group'], zone: 'hall' }
    const viewer = await store.post('/api/complaints', SECRETS.viewer, body)
    expect(viewer.status).toBe(403)
    expect(viewer.json.error.code).toBe('forbidden')
    const anonymous = await api(store.gateway.apiUrl, 'POST', '/api/complaints', null, body)
    expect(anonymous.status).toBe(401)
    const bad = async (b: unknown) => {
      const r = await store.post('/api/complaints', SECRETS.staff, b)
      expect(r.status).toBe(400)
      expect(r.json.error.code).toBe('bad_request')
      return r.json.error.message as string
    }
    expect(await bad({ situations: [], zone: 'hall' })).toMatch(/situations/)
    expect(await bad({ situations: ['riot'], zone: 'hall' })).toMatch(/situations/)
    expect(await bad({ situations: ['group'] })).toMatch(/zone/)
    expect(await bad({ situations: ['group'], zone: 'moon' })).toMatch(/body\/zone/)
    expect(await bad({ situations: ['group'], zone: 'hall', siren: true })).toMatch(/siren|additional/)
  })

  it('only a manager ends it, with a note saying how it was settled; staff may acknowledge it', async () => {
    const alarm = await store.alarmByKey('complaint_escalation:hall')
    expect((await store.post(`/api/alarms/${alarm.id}/ack`, SECRETS.staff, {})).status).toBe(200)
    expect((await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.staff, { note: 'gone' })).status).toBe(403)
    const noNote = await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.manager)
    expect(noNote.status).toBe(400)
    expect(noNote.json.error.code).toBe('note_required')
    const shelve = await store.post(`/api/alarms/${alarm.id}/shelve`, SECRETS.manager, { durationSec: 60, reason: 'x' })
    expect(shelve.status).toBe(409)
    const reset = await store.post(`/api/alarms/${alarm.id}/reset`, SECRETS.manager, {
      note: 'leader heard in the office, press office took the reporter',
    })
    expect(reset.status).toBe(200)
    expect(reset.json.alarm).toMatchObject({ state: 'closed', resetBy: 'mona' })
    const history = (await store.get(`/api/alarms/${alarm.id}/history`, SECRETS.staff)).history
    expect(history[0]).toMatchObject({ action: 'raised', by: 'stan' })
    expect(history.at(-1)).toMatchObject({ action: 'reset', by: 'mona' })
  })

  it('a panic button is not a complaint button: it raises the robbery alarm and no complaint', async () => {
    await store.send('panic-counter-1', { pressed: true })
    await store.alarmByKey('robbery:panic-counter-1')
    // both rules see the same reading in one synchronous pass: a complaint would be open by now
    const open = (await store.get('/api/alarms', SECRETS.manager)).alarms
    expect(open.filter((a: { kind: string }) => a.kind === 'complaint_escalation')).toEqual([])
  })

  it('a configured complaint button raises it for its zone; pressed twice it is still one alarm', async () => {
    await store.send('complaint-counter-1', { pressed: true })
    const alarm = await store.alarmByKey('complaint_escalation:counter')
    expect(alarm).toMatchObject({
      kind: 'complaint_escalation',
      severity: 'major',
      silent: false,
      deviceId: 'complaint-counter-1',
      details: { trigger: 'button', aggressive: true },
    })
    expect(alarm.messages.en).toContain('Counter complaint button')
    expect(alarm.checklist.en).toEqual([...complaintChecklist.en, ...complaintAggressiveChecklist.en])
    await eventually(
      async () =>
        complaintHooks(receiver, '/duty-manager').some((h) => h.body.event.alarm.id === alarm.id) ? true : undefined,
      15_000,
      'the button complaint at the duty manager',
    )
    await store.send('complaint-counter-1', { pressed: false })
    await store.send('complaint-counter-1', { pressed: true })
    await store.eventsUntil('alarm', (e) => e.alarm?.id === alarm.id, 4, 'the second press on the event stream')
    const open = (await store.get('/api/alarms', SECRETS.manager)).alarms
    expect(open.filter((a: { key: string }) => a.key === 'complaint_escalation:counter')).toHaveLength(1)
  })
})

describe('escalated complaint: a complaint button wired to GPIO', () => {
  const dir = tempDir()
  const path = process.env.PATH
  let gpiod: GpiodStandIns
  let gateway: GatewayProcess
  const alarms = async () => (await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.manager)).json.alarms

  beforeAll(async () => {
    gpiod = gpiodStandIns()
    gpiod.setLevel(22, true)
    // the gateway's gpiod driver finds the stand-in gpiomon / gpioget first on PATH (spawn inherits it)
    process.env.PATH = gpiod.env.PATH
    const button =
      '  - { id: complaint-gpio-1, type: complaint_button, zone: counter, gpio: { line: 22, bias: pull-up } }\n'
    gateway = await startGatewayProcess(
      dir.path,
      `${testStoreConfig(dir.path, { extraDevices: button })}gpio: { driver: gpiod, chip: gpiochip0 }\n`,
    )
  })
  afterAll(async () => {
    process.env.PATH = path
    await gateway?.kill()
    gpiod?.remove()
    dir.remove()
  })

  it('its line going low raises the escalated complaint for its zone', async () => {
    // claimed: its level read and watched, released
    await eventually(async () => {
      const devices = (await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.staff)).json.devices
      return devices.find((d: { id: string }) => d.id === 'complaint-gpio-1')?.values.pressed ? true : undefined
    })
    expect((await alarms()).filter((a: { kind: string }) => a.kind === 'complaint_escalation')).toEqual([])
    gpiod.setLevel(22, false)
    gpiod.emit(22, '0 22')
    const alarm = await eventually(
      async () => (await alarms()).find((a: { key: string }) => a.key === 'complaint_escalation:counter'),
      15_000,
      'the counter complaint alarm',
    )
    expect(alarm).toMatchObject({ kind: 'complaint_escalation', deviceId: 'complaint-gpio-1', silent: false })
  })
})
