import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfiles, resolveRegisters } from '../devices/modbus/profiles.js'
import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import type { GatewayProcess } from './support/gatewayProcess.js'
import { startGatewayProcessAt } from './support/gatewayProcessAt.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'

const PREFIX = 'storeguard/facility-store'
const VIEWER = 'facility-viewer-token'
const STAFF = 'facility-staff-token'
const DAILY = '[{ open: "09:00", close: "21:00" }]'
/**
 * Wed 2026-09-30 21:30 in Shanghai: after closing, so every ticket opened before Thu 09:00 starts
 * its business clock then, however long the gateway takes to start. A business day is 12 h.
 */
const CLOCK_STARTS = '2026-09-30T21:30:00+08:00'
/** 2 business days (a terminal, a hand-opened ticket) from Thu 09:00: Thu 09–21, Fri 09–21. */
const DUE_IN_TWO_DAYS = '2026-10-02T21:00:00+08:00'
/** The air conditioner's shipped 3 business days: Thu, Fri, Sat. */
const DUE_IN_THREE_DAYS = '2026-10-03T21:00:00+08:00'
const iso = (local: string) => new Date(local).toISOString()

function facilityConfig(dataDir: string, modbusPort: number): string {
  return `
store:
  id: facility-store
  locale: en
  timeZone: Asia/Shanghai
  businessHours: { mon: ${DAILY}, tue: ${DAILY}, wed: ${DAILY}, thu: ${DAILY}, fri: ${DAILY}, sat: ${DAILY}, sun: ${DAILY} }
zones:
  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }
broker:
  port: 0
  clients:
    - { username: bridge, passwordHash: ${hashSecret('bridge-secret')}, publish: ['${PREFIX}/devices/#'] }
modbus:
  buses: [{ id: hvac, type: tcp, host: 127.0.0.1, port: ${modbusPort}, timeoutMs: 300 }]
devices:
  - id: ac-1
    type: air_conditioner
    zone: hall
    name: Hall AC
    modbus: { bus: hvac, unitId: 1, profile: air-conditioner-modbus, pollSec: 0.3, faultAfterFailures: 3 }
  - { id: terminal-1, type: terminal, zone: hall, name: Terminal 1, heartbeatSec: 86400 }
  - { id: terminal-2, type: terminal, zone: hall, name: Terminal 2, heartbeatSec: 86400 }
tickets: { calendar: store, targetBusinessDays: 2 }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: vera, role: viewer, tokenHash: ${hashSecret(VIEWER)} }
    - { name: stan, role: staff, tokenHash: ${hashSecret(STAFF)} }
storage: { dataDir: ${dataDir} }
`
}

interface Ticket {
  id: string
  deviceId: string | null
  deviceType: string | null
  facility: string | null
  openedAt: string
  dueAt: string
  faultCodes: string[]
  remindersSent: number[]
  breachedAt: string | null
  removalNotifiedAt: string | null
  history: { action: string; by: string }[]
}

interface Notice {
  audience: string
  deviceId: string | null
  key: string
  texts: { 'zh-CN': string; en: string }
}

describe('every facility on a repair ticket, through the running gateway', () => {
  const dir = tempDir()
  let modbus: ModbusTcpSimulator
  let gateway: GatewayProcess
  let bridge: MqttClient
  let config: string
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, VIEWER)).json
  const tickets = async (): Promise<Ticket[]> => (await get('/api/tickets')).tickets
  const ticketFor = (deviceId: string) =>
    eventually(async () => (await tickets()).find((t) => t.deviceId === deviceId), 20_000, `ticket for ${deviceId}`)
  const customerNotice = async (deviceId: string): Promise<Notice | undefined> =>
    ((await get('/api/notices?audience=customer')).notices as Notice[]).find((n) => n.deviceId === deviceId)
  const report = (id: string, state: object) =>
    bridge.publishAsync(`${PREFIX}/devices/${id}/state`, JSON.stringify(state), { qos: 1 })

  beforeAll(async () => {
    const registers = resolveRegisters(
      { id: 'ac', modbus: { profile: 'air-conditioner-modbus', registers: [] } },
      loadProfiles(),
    )
    modbus = await startModbusTcpSimulator({ port: await freePort(), devices: [{ unitId: 1, registers }] })
    modbus.device(1).set('running', true)
    modbus.device(1).set('room_temp_c', 24.5)
    config = facilityConfig(dir.path, modbus.port)
    gateway = await startGatewayProcessAt(CLOCK_STARTS, dir.path, config)
    bridge = await connectClient(gateway.mqttUrl, 'bridge', 'bridge-secret')
  })
  afterAll(async () => {
    await bridge?.endAsync()
    await gateway?.kill()
    await modbus?.stop()
    dir.remove()
  })

  it('an air-conditioning unit in fault over Modbus opens one ticket due in its own 3 business days', async () => {
    await eventually(async () => {
      const ac = (await get('/api/devices')).devices.find((d: { id: string }) => d.id === 'ac-1')
      return ac?.values.room_temp_c?.value === 24.5 ? true : undefined
    })
    expect(await tickets()).toEqual([])
    modbus.device(1).set('fault_active', true)
    modbus.device(1).set('fault_code', 7)
    const ticket = await ticketFor('ac-1')
    expect(ticket).toMatchObject({ deviceType: 'air_conditioner', faultCodes: ['7'], dueAt: iso(DUE_IN_THREE_DAYS) })
    expect(ticket.history[0]).toMatchObject({ action: 'opened', by: 'rule:facilityFault' })
    const alarm = (await get('/api/alarms')).alarms.find((a: { key: string }) => a.key === 'facility_fault:ac-1')
    expect(alarm).toMatchObject({ kind: 'facility_fault', severity: 'minor', deviceId: 'ac-1' })
    expect(await customerNotice('ac-1'), 'customers do not use the air conditioner').toBeUndefined()
    // polled on and on while in fault: still the one ticket
    const polls = async () => (await get('/api/devices')).devices.find((d: { id: string }) => d.id === 'ac-1').lastSeen
    const seen = await polls()
    await eventually(async () => ((await polls()) !== seen ? true : undefined))
    expect((await tickets()).filter((t) => t.deviceId === 'ac-1')).toHaveLength(1)
  })

  it("a faulty terminal's customer notice says when it should be back and sends customers to the other terminal, then the counter", async () => {
    await report('terminal-2', { status: 'ok', fault_codes: '' })
    await report('terminal-1', { status: 'fault', fault_codes: 'printer' })
    const ticket = await ticketFor('terminal-1')
    expect(ticket.dueAt).toBe(iso(DUE_IN_TWO_DAYS))
    const withDue = await eventually(async () => {
      const notice = await customerNotice('terminal-1')
      return notice?.texts.en.includes('back in service') ? notice : undefined
    })
    expect(withDue.texts.en).toContain('It should be back in service by Fri 2 Oct 21:00.')
    expect(withDue.texts.en).toContain('Meanwhile, please use Terminal 2.')
    expect(withDue.texts['zh-CN']).toContain('预计于 10月2日（周五）21:00 前恢复使用。')
    expect(withDue.texts['zh-CN']).toContain('请您移步Terminal 2办理。')

    await report('terminal-2', { status: 'fault', fault_codes: 'screen' })
    const counter = await eventually(async () => {
      const notice = await customerNotice('terminal-1')
      return notice?.texts.en.includes('staffed counter') ? notice : undefined
    })
    expect(counter.texts.en).not.toContain('Terminal 2')
    expect(counter.texts.en, 'still says when').toContain('Fri 2 Oct 21:00')
  })

  it('staff open a ticket by hand for a chair; a viewer, a caller without a token and a bad body are refused', async () => {
    const CHAIR = { facility: 'Chair at counter 3', zone: 'hall', description: 'Back rest broken off' }
    expect((await api(gateway.apiUrl, 'POST', '/api/tickets', VIEWER, CHAIR)).status).toBe(403)
    expect((await api(gateway.apiUrl, 'POST', '/api/tickets', null, CHAIR)).status).toBe(401)
    const bad = await api(gateway.apiUrl, 'POST', '/api/tickets', STAFF, { ...CHAIR, zone: 'roof' })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/^body\/zone/)

    const opened = await api(gateway.apiUrl, 'POST', '/api/tickets', STAFF, CHAIR)
    expect(opened.status).toBe(201)
    expect(opened.json.ticket).toMatchObject({
      deviceId: null,
      facility: 'Chair at counter 3',
      zone: 'hall',
      source: 'staff',
      status: 'open',
      dueAt: iso(DUE_IN_TWO_DAYS),
    })
    expect((await tickets()).map((t) => t.id)).toContain(opened.json.ticket.id)
  })

  it('the hand-opened ticket gets its reminder, its escalation and the removal task across restarts as the days go by', async () => {
    const chair = (await tickets()).find((t) => t.facility === 'Chair at counter 3')
    if (!chair) throw new Error('the chair ticket of the test before is missing')
    const restartAt = async (local: string) => {
      await gateway.kill('SIGKILL')
      await bridge.endAsync()
      gateway = await startGatewayProcessAt(local, dir.path, config)
      bridge = await connectClient(gateway.mqttUrl, 'bridge', 'bridge-secret')
    }
    const chairNow = async () => (await tickets()).find((t) => t.id === chair.id)

    // Fri 10:00: half of the 24 business hours (Thu 21:00) has passed, 80 % (Fri 16:12) has not
    await restartAt('2026-10-02T10:00:00+08:00')
    const reminded = await eventually(async () => {
      const t = await chairNow()
      return t?.remindersSent.includes(0.5) ? t : undefined
    })
    expect(reminded.remindersSent).toEqual([0.5])
    expect(reminded.breachedAt).toBeNull()
    expect(reminded.history.map((h) => h.action)).toContain('reminder')

    // Thu 8 Oct 22:00: past the due time and over 7 days after it was opened
    await restartAt('2026-10-08T22:00:00+08:00')
    const removal = await eventually(async () => {
      const t = await chairNow()
      return t?.removalNotifiedAt ? t : undefined
    })
    expect(removal.breachedAt).not.toBeNull()
    expect(removal.history.map((h) => h.action)).toEqual(expect.arrayContaining(['breached', 'removal_due']))
    expect(
      removal.history.filter((h) => h.action === 'reminder'),
      'the first reminder, once',
    ).toHaveLength(1)
    const staffNotice = await eventually(async () =>
      ((await get('/api/notices?audience=staff')).notices as Notice[]).find(
        (n) => n.key === `ticket_removal:${chair.id}`,
      ),
    )
    expect(staffNotice.texts.en).toContain('Remove Chair at counter 3 (Sales hall) from the hall')
  })
})
