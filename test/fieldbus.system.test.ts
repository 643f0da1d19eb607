import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadProfiles, resolveRegisters } from '../devices/modbus/profiles.js'
import { type ModbusTcpSimulator, startModbusTcpSimulator } from '../devices/modbus/sim/modbusTcpSimulator.js'
import { hashSecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { register } from './support/modbusConfig.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'

const TOKEN = 'fieldbus-viewer-token'
const STAFF_TOKEN = 'fieldbus-staff-token'

/** The hall siren's relay: one writable coil on a Modbus relay module. */
const SIREN_RELAY = '[{ metric: on, function: coil, address: 0, type: bool, writable: true }]'

/**
 * A store whose water level, UPS and siren relay sit behind a Modbus TCP
 * gateway (the simulator, on loopback).
 */
function fieldbusConfig(dataDir: string, modbusPort: number): string {
  return `
store: { id: fieldbus-store, locale: en }
broker:
  port: 0
  clients: [{ username: bridge, passwordHash: ${hashSecret('bridge-secret')}, publish: [storeguard/fieldbus-store/devices/#] }]
modbus:
  buses: [{ id: rs485-gw, type: tcp, host: 127.0.0.1, port: ${modbusPort}, timeoutMs: 300 }]
devices:
  - id: level-1
    type: water_level
    zone: entrance
    modbus: { bus: rs485-gw, unitId: 1, profile: water-level-4-20ma, pollSec: 0.3, faultAfterFailures: 2 }
  - id: ups-1
    type: power
    zone: backroom
    modbus: { bus: rs485-gw, unitId: 2, profile: ups-modbus, pollSec: 0.3, faultAfterFailures: 2 }
  - id: siren-hall
    type: siren
    zone: hall
    modbus: { bus: rs485-gw, unitId: 3, registers: ${SIREN_RELAY}, pollSec: 0.3, faultAfterFailures: 2 }
  - { id: smoke-hall, type: smoke, zone: hall }
  - { id: door-1, type: door, zone: entrance, heartbeatSec: 1 }
rules:
  flood: { clearHoldSec: 1 }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: vera, role: viewer, tokenHash: ${hashSecret(TOKEN)} }
    - { name: stan, role: staff, tokenHash: ${hashSecret(STAFF_TOKEN)} }
storage: { dataDir: ${dataDir} }
`
}

describe('supervised field devices through the running gateway', () => {
  const dir = tempDir()
  let modbus: ModbusTcpSimulator
  let gateway: GatewayProcess
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, TOKEN)).json
  const device = async (id: string) => (await get('/api/devices')).devices.find((d: { id: string }) => d.id === id)

  beforeAll(async () => {
    const profiles = loadProfiles()
    const registers = (profile: string) =>
      resolveRegisters({ id: profile, modbus: { profile, registers: [] } }, profiles)
    modbus = await startModbusTcpSimulator({
      port: await freePort(),
      devices: [
        { unitId: 1, registers: registers('water-level-4-20ma') },
        { unitId: 2, registers: registers('ups-modbus') },
        { unitId: 3, registers: [register('on', 'coil', 0, { type: 'bool', writable: true })] },
      ],
    })
    modbus.device(1).set('level_cm', 0.4)
    modbus.device(2).set('mains_ok', true)
    modbus.device(2).set('on_battery', false)
    gateway = await startGatewayProcess(dir.path, fieldbusConfig(dir.path, modbus.port))
  })
  afterAll(async () => {
    await gateway?.kill()
    await modbus?.stop()
    dir.remove()
  })

  it('polls the water level and raises a flood alarm when the registers say the water is high', async () => {
    await eventually(async () => ((await device('level-1'))?.values.level_cm?.value === 0.4 ? true : undefined))
    modbus.device(1).set('level_cm', 5.5)
    const alarm = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { key: string }) => a.key === 'flood:entrance'),
    )
    expect(alarm).toMatchObject({ kind: 'flood', severity: 'critical' })
  })

  it('a fire switches the Modbus siren relay coil on, and the reset leaves it off', async () => {
    const post = (path: string, body?: unknown) => api(gateway.apiUrl, 'POST', path, STAFF_TOKEN, body)
    // the relay is polled, and written off at start: the coil reads back off
    await eventually(async () => ((await device('siren-hall'))?.values.on?.value === false ? true : undefined))
    expect(modbus.device(3).get('on')).toBe(false)

    const smoke = await connectClient(gateway.mqttUrl, 'bridge', 'bridge-secret')
    try {
      await smoke.publishAsync('storeguard/fieldbus-store/devices/smoke-hall/smoke', 'true', { qos: 1 })
      const fire = await eventually(async () =>
        (await get('/api/alarms')).alarms.find((a: { kind: string }) => a.kind === 'fire'),
      )
      // the coil on the (simulated) relay module itself, written over Modbus FC5
      await eventually(async () => (modbus.device(3).get('on') === true ? true : undefined))
      await eventually(async () => ((await device('siren-hall')).values.on.value === true ? true : undefined))

      await smoke.publishAsync('storeguard/fieldbus-store/devices/smoke-hall/smoke', 'false', { qos: 1 })
      await eventually(async () => {
        const alarm = (await get('/api/alarms')).alarms.find((a: { id: string }) => a.id === fire.id)
        return alarm?.conditionActive === false ? true : undefined
      })
      expect((await post(`/api/alarms/${fire.id}/ack`, { note: 'false alarm: toast' })).status).toBe(200)
      expect((await post(`/api/alarms/${fire.id}/reset`, { note: 'checked the hall' })).status).toBe(200)
    } finally {
      await smoke.endAsync()
    }
    await eventually(async () => (modbus.device(3).get('on') === false ? true : undefined))
    await eventually(async () => ((await device('siren-hall')).values.on.value === false ? true : undefined))
    expect((await device('siren-hall')).status).toBe('ok')
  })

  it('a UPS on battery over Modbus raises the power alarm', async () => {
    modbus.device(2).set('mains_ok', false)
    modbus.device(2).set('on_battery', true)
    const alarm = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { key: string }) => a.key === 'power_outage:ups-1'),
    )
    expect(alarm.kind).toBe('power_outage')
  })

  it('a device that stops answering goes into fault while the other keeps being read, and recovers', async () => {
    modbus.setOnline(1, false)
    const faulty = await eventually(async () => {
      const d = await device('level-1')
      return d.status === 'fault' ? d : undefined
    }, 15_000)
    expect(faulty.faults).toEqual([expect.objectContaining({ reason: 'modbus_timeout' })])
    const fault = (await get('/api/alarms')).alarms.find((a: { key: string }) => a.key === 'device_fault:level-1:comm')
    expect(fault).toMatchObject({ kind: 'device_fault', severity: 'minor' })

    const upsSeen = (await device('ups-1')).lastSeen
    await eventually(async () => ((await device('ups-1')).lastSeen !== upsSeen ? true : undefined))
    expect((await device('ups-1')).status).toBe('ok')

    modbus.setOnline(1, true)
    await eventually(async () => ((await device('level-1')).status === 'ok' ? true : undefined), 15_000)
  })

  it('the whole Modbus gateway going away faults every device behind it; they come back when it does', async () => {
    await modbus.stop()
    await eventually(async () => {
      const devices = (await get('/api/devices')).devices.filter((d: { transport: string }) => d.transport === 'modbus')
      return devices.every((d: { status: string }) => d.status === 'fault') ? true : undefined
    }, 15_000)
    await modbus.start()
    await eventually(async () => {
      const devices = (await get('/api/devices')).devices.filter((d: { transport: string }) => d.transport === 'modbus')
      return devices.every((d: { status: string }) => d.status === 'ok') ? true : undefined
    }, 15_000)
  })

  it('an MQTT device silent for two heartbeats is in fault, and out of it when heard again', async () => {
    const faulty = await eventually(async () => {
      const d = await device('door-1')
      return d.status === 'fault' ? d : undefined
    }, 6000)
    expect(faulty.faults).toEqual([expect.objectContaining({ reason: 'silent' })])
    const bridge = await connectClient(gateway.mqttUrl, 'bridge', 'bridge-secret')
    await bridge.publishAsync('storeguard/fieldbus-store/devices/door-1/contact', 'true', { qos: 1 })
    await bridge.endAsync()
    await eventually(async () => ((await device('door-1')).status === 'ok' ? true : undefined))
  })
})
