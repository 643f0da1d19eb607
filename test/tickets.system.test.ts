import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import type { GatewayProcess } from './support/gatewayProcess.js'
import { startGatewayProcessAt } from './support/gatewayProcessAt.js'
import { connectClient } from './support/mqttClient.js'
import { metricValue } from './support/prometheus.js'
import { tempDir } from './support/tempDir.js'

const PREFIX = 'storeguard/ticket-store'
const VIEWER = 'ticket-viewer-token'
const FIXER = 'ticket-maintenance-token'
const WITH_LUNCH = '[{ open: "09:00", close: "12:00" }, { open: "13:00", close: "21:00" }]'
/** The gateway's clock starts on Wed 2026-09-30 at 12:30 in Shanghai: in the lunch break, with half an hour to spare. */
const CLOCK_STARTS = '2026-09-30T12:30:00+08:00'
const LUNCH_ENDS = '2026-09-30T13:00:00+08:00'
/**
 * Open every day 09:00–12:00 and 13:00–21:00, an 11 h business day, so the SLA
 * is 22 h of open time. Opened in the lunch break, the clock starts at 13:00:
 * Wed 13:00–21:00 (8 h) + Thu 09:00–12:00, 13:00–21:00 (11 h) + Fri 09:00–12:00 (3 h).
 * Not openedAt + 48 h, which a clock on wall time would give.
 */
const DUE = '2026-10-02T12:00:00+08:00'

function ticketStoreConfig(dataDir: string): string {
  return `
store:
  id: ticket-store
  locale: en
  timeZone: Asia/Shanghai
  businessHours: { mon: ${WITH_LUNCH}, tue: ${WITH_LUNCH}, wed: ${WITH_LUNCH}, thu: ${WITH_LUNCH}, fri: ${WITH_LUNCH}, sat: ${WITH_LUNCH}, sun: ${WITH_LUNCH} }
broker:
  port: 0
  clients:
    - { username: bridge, passwordHash: ${hashSecret('bridge-secret')}, publish: ['${PREFIX}/devices/#'] }
    - { username: watcher, passwordHash: ${hashSecret('watcher-secret')}, subscribe: ['${PREFIX}/tickets/#', '${PREFIX}/events'] }
devices:
  - { id: terminal-1, type: terminal, zone: self-service, name: Terminal 1 }
rules:
  terminalFault: { settleSec: 1 }
tickets: { calendar: store, targetBusinessDays: 2, autoResolve: true, settleSec: 1 }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: vera, role: viewer, tokenHash: ${hashSecret(VIEWER)} }
    - { name: mo, role: maintenance, tokenHash: ${hashSecret(FIXER)} }
storage: { dataDir: ${dataDir} }
`
}

describe('repair tickets end to end', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  let bridge: MqttClient
  let watcher: MqttClient
  const seen: { topic: string; payload: string }[] = []
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, VIEWER)).json
  const tickets = async () => (await get('/api/tickets')).tickets
  const ticketTopics = () => new Set(seen.filter((m) => m.topic.startsWith(`${PREFIX}/tickets/`)).map((m) => m.topic))
  const fault = () =>
    bridge.publishAsync(
      `${PREFIX}/devices/terminal-1/state`,
      JSON.stringify({ status: 'fault', fault_codes: 'printer' }),
      { qos: 1 },
    )
  /** Terminal readings the gateway has taken in, from its metrics. */
  const terminalReadings = async () =>
    metricValue(await get('/metrics'), 'storeguard_readings_total', { type: 'terminal' })

  /** The retained `tickets/<id>` messages a client subscribing now is given. */
  async function retainedTickets() {
    const late = await connectClient(gateway.mqttUrl, 'watcher', 'watcher-secret')
    const retained: { topic: string; payload: string }[] = []
    late.on('message', (topic, payload, packet) => {
      if (packet.retain) retained.push({ topic, payload: payload.toString() })
    })
    try {
      await late.subscribeAsync(`${PREFIX}/tickets/#`, { qos: 1 })
      return await eventually(async () => (retained.length > 0 ? retained : undefined), 10_000, 'retained ticket')
    } finally {
      await late.endAsync()
    }
  }

  beforeAll(async () => {
    gateway = await startGatewayProcessAt(CLOCK_STARTS, dir.path, ticketStoreConfig(dir.path))
    bridge = await connectClient(gateway.mqttUrl, 'bridge', 'bridge-secret')
    watcher = await connectClient(gateway.mqttUrl, 'watcher', 'watcher-secret')
    watcher.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }))
    await watcher.subscribeAsync([`${PREFIX}/tickets/#`, `${PREFIX}/events`], { qos: 1 })
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await watcher?.endAsync()
    await gateway?.kill()
    dir.remove()
  })

  it('a terminal fault over MQTT opens exactly one ticket, due two business days later by the store hours, on MQTT and in the API', async () => {
    await fault()
    const [ticket] = await eventually(async () => {
      const list = await tickets()
      return list.length > 0 ? list : undefined
    })
    expect(ticket).toMatchObject({ deviceId: 'terminal-1', status: 'open', faultCodes: ['printer'] })
    expect(Date.parse(ticket.openedAt)).toBeGreaterThanOrEqual(Date.parse(CLOCK_STARTS))
    expect(Date.parse(ticket.openedAt), 'opened in the lunch break').toBeLessThan(Date.parse(LUNCH_ENDS))
    expect(ticket.dueAt).toBe(new Date(DUE).toISOString())

    const [retained, ...more] = await retainedTickets()
    expect(more).toEqual([])
    expect(retained?.topic).toBe(`${PREFIX}/tickets/${ticket.id}`)
    expect(JSON.parse(retained?.payload ?? '{}')).toMatchObject({ id: ticket.id, dueAt: ticket.dueAt })

    // the same episode reports again; once the gateway has taken it in and ticked on, still one ticket
    const before = await terminalReadings()
    await fault()
    await eventually(async () => ((await terminalReadings()) > before ? true : undefined), 10_000, 'second report')
    const uptime = (await get('/healthz')).uptimeSec
    await eventually(async () => ((await get('/healthz')).uptimeSec >= uptime + 3 ? true : undefined), 15_000, 'ticks')
    expect(await tickets()).toHaveLength(1)
    expect([...ticketTopics()]).toEqual([`${PREFIX}/tickets/${ticket.id}`])
  })

  it('maintenance works the ticket; the terminal healthy again resolves it and records the SLA', async () => {
    const [ticket] = await tickets()
    const staffTry = await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/ack`, VIEWER)
    expect(staffTry.status).toBe(403)
    expect((await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/ack`, FIXER)).status).toBe(200)
    const started = await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/start`, FIXER, { assignee: 'mo' })
    expect(started.json.ticket).toMatchObject({ status: 'in_progress', assignee: 'mo' })

    await bridge.publishAsync(`${PREFIX}/devices/terminal-1/state`, JSON.stringify({ status: 'ok', fault_codes: '' }), {
      qos: 1,
    })
    const resolved = await eventually(
      async () => {
        const t = (await get(`/api/tickets/${ticket.id}`)).ticket
        return t.status === 'resolved' ? t : undefined
      },
      10_000,
      'auto-resolve',
    )
    // repaired within the lunch break: no business time used, some wall time
    expect(Date.parse(resolved.resolvedAt)).toBeLessThan(Date.parse(LUNCH_ENDS))
    expect(resolved.sla).toMatchObject({ met: true, businessRepairMs: 0 })
    expect(resolved.sla.wallRepairMs).toBeGreaterThan(0)
    const ticketEvents = () =>
      seen
        .filter((m) => m.topic === `${PREFIX}/events`)
        .map((m) => JSON.parse(m.payload))
        .filter((e) => e.type === 'ticket')
    // the retained ticket is emptied, then the resolved event follows on its own topic: wait for both,
    // as a slow machine may hand the watcher the second message a moment after the first
    await eventually(async () =>
      seen.some((m) => m.topic === `${PREFIX}/tickets/${ticket.id}` && m.payload === '') &&
      ticketEvents().some((e) => e.action === 'resolved')
        ? true
        : undefined,
    )
    expect(ticketEvents().map((e) => e.action)).toEqual(
      expect.arrayContaining(['opened', 'acked', 'started', 'resolved']),
    )
    // the SLA record for the dashboard (docs/requirements.md#resolution-and-sla-record) rides on the resolved event
    expect(ticketEvents().find((e) => e.action === 'resolved')?.slaRecord).toMatchObject({
      ticketId: ticket.id,
      resolution: expect.any(String),
      met: true,
      businessRepairMs: 0,
      wallRepairMs: resolved.sla.wallRepairMs,
      dueAt: new Date(DUE).toISOString(),
    })
    // one ticket for the whole episode, on MQTT and in the API
    expect(await tickets()).toEqual([])
    expect((await get('/api/tickets?status=resolved')).tickets.map((t: { id: string }) => t.id)).toEqual([ticket.id])
    expect([...ticketTopics()]).toEqual([`${PREFIX}/tickets/${ticket.id}`])
  })
})
