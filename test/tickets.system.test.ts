import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'

const PREFIX = 'storeguard/ticket-store'
const VIEWER = 'ticket-viewer-token'
const FIXER = 'ticket-maintenance-token'
const ALL_DAY = '[{ open: "00:00", close: "24:00" }]'

/** A store open around the clock, so 2 business days are exactly 48 hours of wall time. */
function ticketStoreConfig(dataDir: string): string {
  return `
store:
  id: ticket-store
  locale: en
  businessHours: { mon: ${ALL_DAY}, tue: ${ALL_DAY}, wed: ${ALL_DAY}, thu: ${ALL_DAY}, fri: ${ALL_DAY}, sat: ${ALL_DAY}, sun: ${ALL_DAY} }
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
  const tickets = async () => (await api(gateway.apiUrl, 'GET', '/api/tickets', VIEWER)).json.tickets
  const fault = () =>
    bridge.publishAsync(
      `${PREFIX}/devices/terminal-1/state`,
      JSON.stringify({ status: 'fault', fault_codes: 'printer' }),
    )

  beforeAll(async () => {
    gateway = await startGatewayProcess(dir.path, ticketStoreConfig(dir.path))
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

  it('a terminal fault over MQTT opens exactly one ticket, due two business days later, on MQTT and in the API', async () => {
    await fault()
    const [ticket] = await eventually(async () => {
      const list = await tickets()
      return list.length > 0 ? list : undefined
    })
    expect(ticket).toMatchObject({ deviceId: 'terminal-1', status: 'open', faultCodes: ['printer'] })
    expect(Date.parse(ticket.dueAt) - Date.parse(ticket.openedAt)).toBe(48 * 3600_000)
    await eventually(async () =>
      seen.some((m) => m.topic === `${PREFIX}/tickets/${ticket.id}` && m.payload !== '') ? true : undefined,
    )

    await fault()
    await new Promise((r) => setTimeout(r, 1500))
    expect(await tickets()).toHaveLength(1)
  })

  it('maintenance works the ticket; the terminal healthy again resolves it and records the SLA', async () => {
    const [ticket] = await tickets()
    const staffTry = await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/ack`, VIEWER)
    expect(staffTry.status).toBe(403)
    expect((await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/ack`, FIXER)).status).toBe(200)
    const started = await api(gateway.apiUrl, 'POST', `/api/tickets/${ticket.id}/start`, FIXER, { assignee: 'mo' })
    expect(started.json.ticket).toMatchObject({ status: 'in_progress', assignee: 'mo' })

    await bridge.publishAsync(`${PREFIX}/devices/terminal-1/state`, JSON.stringify({ status: 'ok', fault_codes: '' }))
    const resolved = await eventually(
      async () => {
        const t = (await api(gateway.apiUrl, 'GET', `/api/tickets/${ticket.id}`, VIEWER)).json.ticket
        return t.status === 'resolved' ? t : undefined
      },
      10_000,
      'auto-resolve',
    )
    expect(resolved.sla).toMatchObject({ met: true })
    expect(resolved.sla.wallRepairMs).toBeGreaterThan(0)
    await eventually(async () =>
      seen.some((m) => m.topic === `${PREFIX}/tickets/${ticket.id}` && m.payload === '') ? true : undefined,
    )
    const events = seen.filter((m) => m.topic === `${PREFIX}/events`).map((m) => JSON.parse(m.payload))
    expect(events.filter((e) => e.type === 'ticket').map((e) => e.action)).toEqual(
      expect.arrayContaining(['opened', 'acked', 'started', 'resolved']),
    )
  })
})
