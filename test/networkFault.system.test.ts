import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { localTime } from '../gateway/core/customerTime.js'
import type { SignageSnapshot } from '../gateway/http/consoleSnapshot.js'
import { api, eventually } from './support/api.js'
import { type CentralBroker, centralPassword, startCentralBroker } from './support/centralBroker.js'
import { type CentralRecording, recordCentral } from './support/centralRecorder.js'
import { openSse, type SseStream } from './support/sse.js'
import { type StoreUnderTest, startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE } from './support/testStore.js'

type TempDir = ReturnType<typeof tempDir>

const NEARBY = {
  'zh-CN': '解放路营业厅（出门右转步行 5 分钟）',
  en: 'our Jiefang Road store (turn right, 5 minutes on foot)',
}
const storeYaml = `  nearbyStore: { zh-CN: '${NEARBY['zh-CN']}', en: '${NEARBY.en}' }\n`
const bridgeYaml = (url: string) => `
bridge:
  url: ${url}
  password: ${centralPassword(STORE)}
  reconnect: { baseMs: 200, capMs: 2000 }
`

/**
 * A base-station / network fault (docs/requirements.md#network-fault): declared by the centre over the
 * bridge or by a manager over HTTP, it puts up a staff notice and a customer notice that says when
 * service is expected back and where else to go, until it is cleared; a store that sees many customers
 * with the same problem reports it to the centre, through the bridge's durable queue.
 */
describe('a network fault', () => {
  const dir = tempDir()
  let central: CentralBroker
  let centre: Awaited<ReturnType<CentralBroker['connect']>>
  let seen: CentralRecording
  const running: StoreUnderTest[] = []
  const streams: SseStream<SignageSnapshot>[] = []
  const storeDirs: TempDir[] = []

  const start = async (storeDir?: TempDir) => {
    const store = await startStoreUnderTest({
      ...(storeDir ? { dir: storeDir } : {}),
      storeYaml,
      extraYaml: bridgeYaml(central.url),
    })
    running.push(store)
    const { stream } = await openSse<SignageSnapshot>(`${store.gateway.apiUrl}/api/signage/stream`)
    streams.push(stream)
    return { store, signage: stream }
  }
  const notices = async (store: StoreUnderTest) =>
    ((await store.get('/api/notices', SECRETS.staff)).notices as { key: string; audience: string; text: string }[])
      .filter((n) => n.key.startsWith('network_fault:'))
      .map((n) => `${n.audience} ${n.key}`)
      .sort()
  const reply = (commandId: string) =>
    eventually(
      async () =>
        seen.unique().find((m) => m.topic === `${PREFIX}/command-results` && m.json?.commandId === commandId)?.json,
      15_000,
      `the reply to ${commandId}`,
    )
  const declare = (faultId: string, commandId: string, fields: Record<string, unknown>) =>
    centre.publishAsync(
      `${PREFIX}/commands/network-faults/${faultId}/declare`,
      JSON.stringify({ commandId, by: 'noc.wang', ...fields }),
      { qos: 1 },
    )

  beforeAll(async () => {
    central = await startCentralBroker(dir.path, [STORE, 'central'])
    centre = await central.connect('central', { clientId: 'central-noc', clean: false, reconnectPeriod: 500 })
    seen = recordCentral(centre)
    await centre.subscribeAsync([`${PREFIX}/command-results`, `${PREFIX}/events`], { qos: 1 })
  })
  afterEach(async () => {
    for (const s of streams.splice(0)) s.close()
    for (const store of running.splice(0)) await store.stop()
    for (const d of storeDirs.splice(0)) d.remove()
  })
  afterAll(async () => {
    await central?.close()
    dir.remove()
  })

  it('declared by the centre: both notices with the recovery time, still up after a restart, down when cleared', async () => {
    const storeDir = tempDir()
    storeDirs.push(storeDir)
    let { store, signage } = await start(storeDir)
    const backAt = Date.now() + 2 * 3600_000
    const when = localTime(backAt, 'Asia/Shanghai')
    await declare('bs-0412', 'nf-1', {
      area: { 'zh-CN': '人民路至解放路一带', en: 'Renmin Road to Jiefang Road' },
      services: { 'zh-CN': '通话和 4G 上网', en: 'calls and 4G data' },
      expectedRecoveryAt: new Date(backAt).toISOString(),
    })
    expect(await reply('nf-1')).toMatchObject({ action: 'declare', faultId: 'bs-0412', result: 'done' })

    const onSignage = await signage.until(
      (s) => s.notices.some((n) => n.texts.en.includes('base-station fault')),
      15_000,
      'the customer notice on signage',
    )
    const customer = onSignage.notices.find((n) => n.texts.en.includes('base-station fault'))
    expect(customer?.texts.en).toContain(`We expect service back by ${when.en}.`)
    expect(customer?.texts.en).toContain(`calls and 4G data in Renmin Road to Jiefang Road`)
    expect(customer?.texts.en).toContain(NEARBY.en)
    expect(customer?.texts['zh-CN']).toContain(`预计 ${when['zh-CN']} 恢复`)
    expect(customer?.texts['zh-CN']).toContain(NEARBY['zh-CN'])
    // only the customer notice is on signage; staff see the plan's script on theirs
    expect(onSignage.notices.filter((n) => n.texts['zh-CN'].includes('基站'))).toHaveLength(1)
    const staff = await store.noticeByKey('network_fault:bs-0412:staff', 'staff')
    expect(staff.texts['zh-CN']).toContain('不要现场承诺赔偿')
    expect(staff.text).toContain('Take their contact details to call them back')

    // bad commands: answered invalid and counted, nothing posted
    await declare('bs-0413', 'nf-bad', { area: '', services: '4G' })
    await centre.publishAsync(`${PREFIX}/commands/network-faults/bs-0413/declare`, 'not json', { qos: 1 })
    expect(await reply('nf-bad')).toMatchObject({ result: 'invalid', faultId: 'bs-0413' })
    const metrics = await eventually(
      async () => {
        const text = (await api(store.gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
        return /storeguard_bridge_commands_total\{result="invalid"\} 2/.test(text) ? text : undefined
      },
      15_000,
      'two invalid commands counted',
    )
    expect(metrics).toMatch(/storeguard_bridge_commands_total\{result="done"\} 1/)
    expect(await notices(store)).toEqual(['customer network_fault:bs-0412', 'staff network_fault:bs-0412:staff'])

    await store.stop('SIGKILL')
    running.length = 0
    ;({ store, signage } = await start(storeDir))
    expect(await notices(store)).toEqual(['customer network_fault:bs-0412', 'staff network_fault:bs-0412:staff'])
    await signage.until((s) => s.notices.some((n) => n.texts.en.includes(when.en)), 15_000, 'the notice after restart')

    await centre.publishAsync(
      `${PREFIX}/commands/network-faults/bs-0412/clear`,
      JSON.stringify({ commandId: 'nf-2', by: 'noc.wang' }),
      { qos: 1 },
    )
    expect(await reply('nf-2')).toMatchObject({ action: 'clear', result: 'done' })
    await signage.until((s) => s.notices.length === 0, 15_000, 'the customer notice gone from signage')
    expect(await notices(store)).toEqual([])
  })

  it('declared and cleared by a manager over HTTP; others are refused', async () => {
    const { store, signage } = await start()
    const url = store.gateway.apiUrl
    const body = { faultId: 'bs-7', area: '人民路一带', services: '4G 上网' }
    expect((await api(url, 'POST', '/api/events/network-fault', null, body)).status).toBe(401)
    const asStaff = await api(url, 'POST', '/api/events/network-fault', SECRETS.staff, body)
    expect(asStaff.status).toBe(403)
    expect(asStaff.json.error.code).toBe('forbidden')
    const noArea = await api(url, 'POST', '/api/events/network-fault', SECRETS.manager, { services: '4G' })
    expect(noArea.status).toBe(400)
    expect(noArea.json.error.message).toMatch(/area/)
    const past = await api(url, 'POST', '/api/events/network-fault', SECRETS.manager, {
      ...body,
      expectedRecoveryAt: '2020-01-01T00:00:00Z',
    })
    expect(past.status).toBe(400)
    expect(past.json.error.message).toMatch(/expectedRecoveryAt/)
    expect(await notices(store)).toEqual([])

    const declared = await api(url, 'POST', '/api/events/network-fault', SECRETS.manager, body)
    expect(declared.status).toBe(201)
    expect(declared.json.fault).toMatchObject({ id: 'bs-7', notice: { audience: 'customer', active: true } })
    // the declaration, not a person's notice: only a clear takes it down
    expect(declared.json.fault.notice).not.toHaveProperty('postedBy')
    const shown = await signage.until((s) => s.notices.length === 1, 15_000, 'the customer notice on signage')
    // no estimate: the notice promises to say when, and still names the other store
    expect(shown.notices[0]?.texts['zh-CN']).toContain('恢复时间确定后我们将第一时间公布')
    expect(shown.notices[0]?.texts['zh-CN']).toContain(NEARBY['zh-CN'])
    expect((await api(url, 'GET', '/api/events/network-fault', SECRETS.viewer)).json.faults).toMatchObject([
      { id: 'bs-7' },
    ])
    // a rule's notice: not the staff's to take down on the notices route
    const withdraw = await api(url, 'DELETE', `/api/notices/${declared.json.fault.notice.id}`, SECRETS.manager)
    expect(withdraw.status).toBe(409)

    expect((await api(url, 'DELETE', '/api/events/network-fault/bs-7', SECRETS.staff)).status).toBe(403)
    expect((await api(url, 'DELETE', '/api/events/network-fault/bs-8', SECRETS.manager)).status).toBe(404)
    const cleared = await api(url, 'DELETE', '/api/events/network-fault/bs-7', SECRETS.manager)
    expect(cleared.status).toBe(200)
    await signage.until((s) => s.notices.length === 0, 15_000, 'the notice gone from signage')
    expect(await notices(store)).toEqual([])
  })

  it('a staff report reaches the centre, even one made while the centre is unreachable', async () => {
    const { store } = await start()
    const url = store.gateway.apiUrl
    const report = {
      symptoms: '有信号但无法拨打电话，4G 无法上网',
      area: '人民路至解放路一带',
      customers: 8,
      numbers: ['13800138000', '13900139000'],
      phoneModels: '各种机型',
    }
    expect((await api(url, 'POST', '/api/events/network-fault/reports', null, report)).status).toBe(401)
    expect((await api(url, 'POST', '/api/events/network-fault/reports', SECRETS.viewer, report)).status).toBe(403)
    const bad = await api(url, 'POST', '/api/events/network-fault/reports', SECRETS.staff, { ...report, customers: 0 })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/customers/)

    await central.stop()
    try {
      await eventually(async () => ((await store.get('/healthz')).central?.connected === false ? true : undefined))
      const sent = await api(url, 'POST', '/api/events/network-fault/reports', SECRETS.staff, report)
      expect(sent.status).toBe(202)
      expect(sent.json).toMatchObject({ central: 'queued', report: { ...report, by: 'stan' } })
      await eventually(
        async () => ((await store.get('/healthz')).central?.queued >= 1 ? true : undefined),
        15_000,
        'the report queued for the centre',
      )
    } finally {
      await central.start()
    }
    const arrived = await eventually(
      async () => seen.events(STORE, 'network_fault_report')[0],
      20_000,
      'the report at the centre',
    )
    expect(arrived).toMatchObject({ type: 'network_fault_report', by: 'stan', report: { ...report, by: 'stan' } })
  })

  it('the centre’s estimate for a business-system fault reaches its customer notice on signage', async () => {
    const { store, signage } = await start()
    await store.send('business-system', { up: false })
    const alarm = await store.alarmOfKind('system_fault')
    const before = await signage.until(
      (s) => s.notices.some((n) => n.texts.en.includes('business system has a fault')),
      15_000,
      'the system fault notice on signage',
    )
    expect(JSON.stringify(before.notices)).toContain('We will post the expected recovery time')
    expect(JSON.stringify(before.notices)).toContain(NEARBY.en)

    const backAt = Date.now() + 45 * 60_000
    const when = localTime(backAt, 'Asia/Shanghai')
    await centre.publishAsync(
      `${PREFIX}/commands/alarms/${alarm.id}/estimate`,
      JSON.stringify({ commandId: 'est-1', by: 'noc.wang', expectedRecoveryAt: new Date(backAt).toISOString() }),
      { qos: 1 },
    )
    expect(await reply('est-1')).toMatchObject({ action: 'estimate', alarmId: alarm.id, result: 'done' })
    const after = await signage.until(
      (s) => s.notices.some((n) => n.texts.en.includes(`We expect service back by ${when.en}.`)),
      15_000,
      'the estimate on signage',
    )
    const notice = after.notices.find((n) => n.texts.en.includes('business system has a fault'))
    expect(notice?.texts['zh-CN']).toContain(`预计 ${when['zh-CN']} 恢复`)
    expect((await store.noticeByKey('system_fault:business-system', 'customer')).expectedRecoveryAt).toBe(
      new Date(backAt).toISOString(),
    )
  })

  it('without a bridge a report is published on the store’s own events, and the answer says the centre has no link', async () => {
    const store = await startStoreUnderTest()
    running.push(store)
    const report = { symptoms: '无法上网', area: '人民路', customers: 5 }
    const sent = await store.post('/api/events/network-fault/reports', SECRETS.staff, report)
    expect(sent.status).toBe(202)
    expect(sent.json.central).toBe('no_bridge')
    const [event] = await store.eventsUntil('network_fault_report', () => true, 1)
    expect(event).toMatchObject({ by: 'stan', report: { ...report, numbers: [], phoneModels: null } })
  })
})
