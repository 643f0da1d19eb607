import { readFileSync } from 'node:fs'
import type { InfluxDB } from 'influx'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfiles, resolveRegisters } from '../devices/modbus/profiles.js'
import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import { hashSecret } from '../gateway/security/secretHash.js'
import { queueWaitChecklist } from '../rules/checklists/queue.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { startGatewayProcessAt } from './support/gatewayProcessAt.js'
import { type Influxd, influxConfigYaml, startInfluxd } from './support/influxd.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'
import { startWebhookReceiver } from './support/webhookReceiver.js'

const STORE = 'queue-store'
const PREFIX = `storeguard/${STORE}`
const TOKEN = 'queue-manager-token'
const BRIDGE = 'queue-bridge-secret'
const CONSUMER = 'queue-consumer-secret'
/** Monday 11:00 in Shanghai: the store (09:00–21:00 every day, the default hours) is open. */
const OPEN_AT = '2026-12-07T03:00:00Z'
/** Tuesday 01:30 in Shanghai: closed. */
const CLOSED_AT = '2026-12-07T17:30:00Z'

// biome-ignore lint/suspicious/noExplicitAny: system tests read JSON as it comes off the wire
type Json = any

/**
 * A store with queue devices — four over MQTT (JSON), and in the open store one 叫号机 behind a
 * Modbus TCP gateway — a flood sensor, the duty manager's route for `queue_wait` and the staff route for
 * staff notices (docs/requirements.md#queue). Hold times are seconds, so a test does not wait minutes.
 */
function queueStoreConfig(dir: string, o: { hooks: string; holdSec: number; modbusPort?: number; influx?: string }) {
  const modbus =
    o.modbusPort === undefined
      ? ''
      : `modbus:\n  buses: [{ id: qbus, type: tcp, host: 127.0.0.1, port: ${o.modbusPort}, timeoutMs: 300 }]\n`
  const modbusDevice =
    o.modbusPort === undefined
      ? ''
      : '  - { id: queue-modbus, type: queue, zone: hall, name: Queue over Modbus, modbus: { bus: qbus, unitId: 1, profile: queue-modbus, pollSec: 0.3 } }\n'
  return `
store: { id: ${STORE}, name: Queue store, timeZone: Asia/Shanghai, locale: en }
broker:
  host: 127.0.0.1
  port: 0
  clients:
    - { username: bridge, passwordHash: ${hashSecret(BRIDGE)}, publish: [${PREFIX}/devices/#] }
    - { username: consumer, passwordHash: ${hashSecret(CONSUMER)}, subscribe: [${PREFIX}/alarms/#, ${PREFIX}/notices/#, ${PREFIX}/events] }
${modbus}devices:
  - { id: queue-a, type: queue, zone: hall, name: Counter queue A }
  - { id: queue-b, type: queue, zone: hall, name: Counter queue B }
  - { id: queue-twin, type: queue, zone: hall, name: Queue over MQTT }
  - { id: queue-c, type: queue, zone: hall, name: Counter queue C }
  - { id: level-1, type: water_level, zone: entrance }
${modbusDevice}rules:
  queue: { holdSec: ${o.holdSec}, clearHoldSec: ${o.holdSec} }
  flood: { clearHoldSec: 2 }
notifications:
  enabled: true
  groupWindowSec: 0
  channels:
    - { id: duty-manager, kind: webhook, url: "${o.hooks}/manager" }
    - { id: staff, kind: webhook, url: "${o.hooks}/staff" }
  routes:
    - { kinds: [queue_wait], channels: [duty-manager] }
    - { kinds: [], events: [staff_notice], channels: [staff] }
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: mona, role: manager, tokenHash: ${hashSecret(TOKEN)} }]
storage: { dataDir: ${dir} }
${o.influx ?? ''}`
}

/** The gateway, a device bridge and a consumer recording every event the gateway publishes. */
async function startQueueStore(at: string, dir: string, yaml: string) {
  const gateway = await startGatewayProcessAt(at, dir, yaml)
  const bridge: MqttClient = await connectClient(gateway.mqttUrl, 'bridge', BRIDGE)
  const consumer: MqttClient = await connectClient(gateway.mqttUrl, 'consumer', CONSUMER)
  const events: Json[] = []
  consumer.on('message', (topic, payload) => {
    if (topic === `${PREFIX}/events`) events.push(JSON.parse(payload.toString()))
  })
  await consumer.subscribeAsync(`${PREFIX}/events`, { qos: 1 })
  const get = async (path: string): Promise<Json> => (await api(gateway.apiUrl, 'GET', path, TOKEN)).json
  return {
    gateway,
    events,
    get,
    send: (deviceId: string, state: Record<string, number>) =>
      bridge.publishAsync(`${PREFIX}/devices/${deviceId}/state`, JSON.stringify(state), { qos: 1 }),
    /** The device's latest values, once every one of `expected` is there. */
    valuesOf: (deviceId: string, expected: Record<string, number>) =>
      eventually(
        async () => {
          const device = (await get('/api/devices')).devices.find((d: Json) => d.id === deviceId)
          const values = Object.fromEntries(Object.keys(expected).map((m) => [m, device?.values[m]?.value]))
          return JSON.stringify(values) === JSON.stringify(expected) ? values : undefined
        },
        15_000,
        `${deviceId} reading ${JSON.stringify(expected)}`,
      ),
    /** `storeguard_rejected_messages_total` for `reason` on /metrics. */
    rejected: async (reason: string): Promise<number> => {
      const text = String(await get('/metrics'))
      const line = text
        .split('\n')
        .find((l) => l.startsWith('storeguard_rejected_messages_total{') && l.includes(`reason="${reason}"`))
      return line === undefined ? 0 : Number(line.split(' ').pop())
    },
    notice: async (key: string): Promise<Json> =>
      (await get('/api/notices?audience=staff')).notices.find((n: Json) => n.key === key),
    alarm: async (key: string): Promise<Json> => (await get('/api/alarms')).alarms.find((a: Json) => a.key === key),
    noticeEvents: (key: string, action: string) =>
      events.filter((e) => e.type === 'notice' && e.notice.key === key && e.action === action),
    async stop() {
      await bridge.endAsync()
      await consumer.endAsync()
      await gateway.kill()
    },
  }
}
type QueueStore = Awaited<ReturnType<typeof startQueueStore>>

/** What the webhook of `path` was sent about `key`: alarms by their key, notices by theirs. */
const hooksAbout = (received: readonly { path: string; body: Json }[], path: string, key: string) =>
  received.filter((h) => h.path === path && (h.body.event.alarm?.key === key || h.body.event.notice?.key === key))

describe('queue pre-processing and the waiting-time target through the running gateway, store open', () => {
  const dir = tempDir()
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let modbus: ModbusTcpSimulator
  let influxd: Influxd
  let db: InfluxDB
  let store: QueueStore

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    const registers = resolveRegisters({ id: 'q', modbus: { profile: 'queue-modbus', registers: [] } }, loadProfiles())
    modbus = await startModbusTcpSimulator({ port: await freePort(), devices: [{ unitId: 1, registers }] })
    influxd = await startInfluxd(dir.path)
    db = influxd.client('storeguard')
    const yaml = queueStoreConfig(dir.path, {
      hooks: receiver.url,
      holdSec: 1,
      modbusPort: modbus.port,
      influx: influxConfigYaml(influxd.url),
    })
    store = await startQueueStore(OPEN_AT, dir.path, yaml)
  })
  afterAll(async () => {
    await store?.stop()
    await modbus?.stop()
    await influxd?.stop()
    await receiver?.close()
    dir.remove()
  })

  it('a queue going 2 → 4 → 4 (held) → 2 per counter posts the pre-processing notice once and withdraws it once', async () => {
    const key = 'queue_preprocess:queue-a'
    await store.send('queue-a', { waiting: 2, wait_min: 3, counters_open: 1 })
    await store.valuesOf('queue-a', { waiting: 2 })
    await store.send('queue-a', { waiting: 4, wait_min: 4, counters_open: 1 })
    await store.valuesOf('queue-a', { waiting: 4, wait_min: 4 })
    await store.send('queue-a', { waiting: 4, wait_min: 5, counters_open: 1 })
    const notice = await eventually(() => store.notice(key), 15_000, 'the pre-processing notice')
    expect(notice).toMatchObject({ audience: 'staff', zone: 'hall', deviceId: 'queue-a', active: true })
    expect(notice.texts.en).toContain('Counter queue A')
    expect(notice.texts.en).toMatch(/4 customers waiting, open counters: 1\. Please start pre-processing/)
    expect(notice.texts['zh-CN']).toMatch(/4 位客户等候.*启动预处理/)

    await store.send('queue-a', { waiting: 2, wait_min: 3, counters_open: 1 })
    await eventually(async () => ((await store.notice(key)) ? undefined : true), 15_000, 'the notice withdrawn')
    await eventually(async () => (store.noticeEvents(key, 'withdrawn').length > 0 ? true : undefined))
    expect(store.noticeEvents(key, 'posted')).toHaveLength(1)
    expect(store.noticeEvents(key, 'withdrawn')).toHaveLength(1)
    // the staff route is told once, when it was posted
    await eventually(async () => (hooksAbout(receiver.received, '/staff', key).length > 0 ? true : undefined))
    expect(hooksAbout(receiver.received, '/staff', key).map((h) => h.body.event.action)).toEqual(['posted'])
  })

  it('a longest wait above the target notifies the duty manager’s route once, and clears when the wait is back', async () => {
    const key = 'queue_wait:queue-b'
    await store.send('queue-b', { waiting: 3, wait_min: 6, counters_open: 2 })
    await store.valuesOf('queue-b', { wait_min: 6 })
    await store.send('queue-b', { waiting: 3, wait_min: 12, counters_open: 2 })
    const hook = await eventually(
      async () => hooksAbout(receiver.received, '/manager', key)[0],
      15_000,
      'the manager hook',
    )
    expect(hook.body.event).toMatchObject({ type: 'alarm', action: 'raised' })
    expect(hook.body.event.alarm).toMatchObject({
      kind: 'queue_wait',
      severity: 'warning',
      latching: false,
      deviceId: 'queue-b',
      details: { waitMin: 12, targetMin: 10 },
    })
    expect(hook.body.event.alarm.checklist).toEqual(queueWaitChecklist)
    expect(hook.body.message.text ?? JSON.stringify(hook.body.message)).toMatch(/open another counter/)

    // a longer wait updates the alarm; the manager is not told again
    await store.send('queue-b', { waiting: 4, wait_min: 14, counters_open: 2 })
    await eventually(async () => ((await store.alarm(key))?.details.waitMin === 14 ? true : undefined))
    await store.send('queue-b', { waiting: 1, wait_min: 2, counters_open: 2 })
    await eventually(async () => ((await store.alarm(key))?.conditionActive === false ? true : undefined))
    // another queue's alarm after it: the manager's channel delivers in order, so a repeat would be here by now
    await store.send('queue-twin', { waiting: 0, wait_min: 11, counters_open: 1 })
    await eventually(async () => hooksAbout(receiver.received, '/manager', 'queue_wait:queue-twin')[0])
    expect(hooksAbout(receiver.received, '/manager', key)).toHaveLength(1)
    await store.send('queue-twin', { waiting: 0, wait_min: 0, counters_open: 1 })
  })

  it('a queue device read over Modbus holding registers gives the same readings as one over MQTT', async () => {
    const values = { waiting: 5, wait_min: 6.5, counters_open: 1 }
    for (const [metric, value] of Object.entries(values)) modbus.device(1).set(metric, value)
    await store.send('queue-twin', values)
    const overModbus = await store.valuesOf('queue-modbus', values)
    expect(await store.valuesOf('queue-twin', values)).toEqual(overModbus)
    // and the rule judges it alike: 5 waiting at one counter starts pre-processing
    const notice = await eventually(
      () => store.notice('queue_preprocess:queue-modbus'),
      15_000,
      'the Modbus queue notice',
    )
    expect(notice.texts.en).toMatch(/Queue over Modbus \(zone hall\) is busy: 5 customers waiting/)
  })

  it('an impossible count from a queue system is refused and counted, and the last good reading stands', async () => {
    await store.send('queue-a', { waiting: 1, wait_min: 2, counters_open: 2 })
    await store.valuesOf('queue-a', { waiting: 1, wait_min: 2, counters_open: 2 })
    const before = await store.rejected('out_of_range')
    await store.send('queue-a', { waiting: -3, counters_open: -1, wait_min: 3 })
    await store.valuesOf('queue-a', { waiting: 1, wait_min: 3, counters_open: 2 })
    await eventually(async () => ((await store.rejected('out_of_range')) === before + 2 ? true : undefined))
  })

  it('the store overview’s queue panels run their queries against the data the gateway wrote', async () => {
    const overview = JSON.parse(readFileSync(new URL('../dashboards/store-overview.json', import.meta.url), 'utf8'))
    const targets: { title: string; query: string }[] = overview.panels
      .filter((p: Json) => p.targets?.some((t: Json) => String(t.query).includes(`"type" = 'queue'`)))
      .flatMap((p: Json) => p.targets.map((t: Json) => ({ title: p.title, query: t.query as string })))
    expect(targets.map((t) => t.title)).toEqual([
      'Queue: longest wait',
      'Queue: minutes over target per day',
      'Queue: peak hours',
      'Queues now',
    ])
    // a queue still over the target: its minute counts however the minutes fall
    await store.send('queue-c', { waiting: 3, wait_min: 15, counters_open: 1 })
    await store.valuesOf('queue-c', { wait_min: 15 })
    const start = Date.parse(OPEN_AT)
    const grafana = (query: string) =>
      query
        .replaceAll('$timeFilter', `time >= ${start - 3_600_000}ms and time <= ${start + 3_600_000}ms`)
        .replaceAll('$__interval', '1m')
        .replaceAll('$store', STORE)
    const results = new Map<string, Json[]>()
    for (const { title, query } of targets) {
      // the points reach InfluxDB in batches: wait for each query to see the waits over target
      const found = await eventually(
        async () => {
          const rows = (await db.query(grafana(query))) as Json[]
          return rows.some((r) => r.device === 'queue-c' || (r.store === STORE && r.waiting >= 4)) ? rows : undefined
        },
        15_000,
        title,
      )
      results.set(title, found)
    }
    const overTarget = results.get('Queue: minutes over target per day') ?? []
    expect(overTarget.find((r) => r.device === 'queue-c')?.['minutes over target']).toBeGreaterThanOrEqual(1)
    // queue-a never waited over the target
    expect(overTarget.find((r) => r.device === 'queue-a')).toBeUndefined()
    const longest = results.get('Queue: longest wait') ?? []
    expect(Math.max(...longest.filter((r) => r.device === 'queue-b').map((r) => r.max))).toBe(14)
    expect(Math.max(...(results.get('Queue: peak hours') ?? []).map((r) => r.waiting))).toBeGreaterThanOrEqual(4)
    expect((results.get('Queues now') ?? []).find((r) => r.device === 'queue-modbus')).toMatchObject({
      waiting: 5,
      'longest wait': 6.5,
      'counters open': 1,
    })
  })
})

describe('queue rules outside opening hours, through the running gateway', () => {
  const dir = tempDir()
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>
  let store: QueueStore

  beforeAll(async () => {
    receiver = await startWebhookReceiver()
    // no hold time: open, the first tick after these readings would post and raise
    store = await startQueueStore(CLOSED_AT, dir.path, queueStoreConfig(dir.path, { hooks: receiver.url, holdSec: 0 }))
  })
  afterAll(async () => {
    await store?.stop()
    await receiver?.close()
    dir.remove()
  })

  it('nothing fires, however long the queue and the wait', async () => {
    await store.send('queue-a', { waiting: 20, wait_min: 45, counters_open: 1 })
    await store.valuesOf('queue-a', { waiting: 20, wait_min: 45, counters_open: 1 })
    // a witness that ticks have run since: a flood cleared by its hold time on a later tick, when the queue rule ran too
    await store.send('level-1', { level_cm: 6 })
    await eventually(() => store.alarm('flood:entrance'), 15_000, 'the flood alarm')
    await store.send('level-1', { level_cm: 0 })
    await eventually(async () => ((await store.alarm('flood:entrance'))?.conditionActive === false ? true : undefined))

    expect(await store.notice('queue_preprocess:queue-a')).toBeUndefined()
    expect(await store.alarm('queue_wait:queue-a')).toBeUndefined()
    expect(store.events.filter((e) => e.notice?.key?.startsWith('queue_') || e.alarm?.kind === 'queue_wait')).toEqual(
      [],
    )
    expect(receiver.received.filter((h) => h.path === '/manager')).toEqual([])
  })
})
