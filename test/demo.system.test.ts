import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { tempDir } from './support/tempDir.js'

const ROOT = join(import.meta.dirname, '..')
const TOKEN = 'demo-viewer-token'

/** deploy/demo.yaml as shipped, moved to free ports and a temp data dir, with a 1 s simulator. */
function demoOnFreePorts(dataDir: string, modbusPort: number): string {
  return readFileSync(join(ROOT, 'deploy', 'demo.yaml'), 'utf8')
    .replace(/port: 1883/, 'port: 0')
    .replace(/port: 1502/, `port: ${modbusPort}`)
    .replace(/port: 8080/, 'port: 0')
    .replace(/dataDir: .*/, `dataDir: ${dataDir}`)
    .replace(/intervalSec: 10/, 'intervalSec: 1')
}

describe('the demo store', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, TOKEN)).json
  const simulate = (...args: string[]) =>
    spawnSync(
      process.execPath,
      [
        join(ROOT, 'dist', 'gateway', 'cli.js'),
        'simulate',
        ...args,
        '--config',
        join(dir.path, 'storeguard.yaml'),
        '--broker',
        gateway.mqttUrl,
      ],
      { encoding: 'utf8', timeout: 15_000 },
    )

  beforeAll(async () => {
    gateway = await startGatewayProcess(dir.path, demoOnFreePorts(dir.path, await freePort()))
  })
  afterAll(async () => {
    await gateway?.kill()
    dir.remove()
  })

  it('prints where to look: API, tokens, broker and the fire command', async () => {
    const banner = await eventually(async () => {
      const text = gateway.output.join('\n')
      return text.includes('Start a fire') ? text : undefined
    })
    expect(banner).toContain(gateway.apiUrl)
    expect(banner).toContain('demo-manager-token')
    expect(banner).toContain(gateway.mqttUrl)
    expect(banner).toContain('simulate fire smoke-hall-1')
  })

  it('every simulated device reports through the broker, and none of it is rejected', async () => {
    const devices = await eventually(async () => {
      const list = (await get('/api/devices')).devices
      return list.every((d: { lastSeen: string | null }) => d.lastSeen !== null) ? list : undefined
    }, 5000)
    expect(devices).toHaveLength(12)
    expect(await get('/metrics')).not.toMatch(/storeguard_rejected_messages_total\{reason="[a-z_]+"\} [1-9]/)
    expect((await get('/api/alarms')).alarms).toEqual([])
  })

  it('a simulated fire holds until the device is set back to normal, and the hall siren reports it is sounding', async () => {
    expect(simulate('fire', 'smoke-hall-1').status).toBe(0)
    const fire = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { kind: string }) => a.kind === 'fire'),
    )
    await new Promise((r) => setTimeout(r, 2500)) // two simulator rounds
    const alarms = (await get('/api/alarms')).alarms
    expect(alarms.find((a: { id: string }) => a.id === fire.id).conditionActive).toBe(true)
    const siren = (await get('/api/devices')).devices.find((d: { id: string }) => d.id === 'siren-hall')
    expect(siren.values.on.value).toBe(true)

    expect(simulate('normal', 'smoke-hall-1').status).toBe(0)
    await eventually(async () => {
      const a = (await get('/api/alarms')).alarms.find((x: { id: string }) => x.id === fire.id)
      return a.conditionActive ? undefined : true
    })
  })

  it('the GPIO panic button and the Modbus water level are read through their real adapters', async () => {
    expect(simulate('panic', 'panic-counter-1').status).toBe(0)
    // silent: listed for a manager, never for a viewer (a screen robbers might see)
    const robbery = await eventually(async () =>
      (await api(gateway.apiUrl, 'GET', '/api/alarms', 'demo-manager-token')).json.alarms.find(
        (a: { kind: string }) => a.kind === 'robbery',
      ),
    )
    expect(robbery).toMatchObject({ silent: true, deviceId: 'panic-counter-1' })
    expect((await get('/api/alarms')).alarms.some((a: { kind: string }) => a.kind === 'robbery')).toBe(false)
    expect(simulate('flood', 'water-level-1').status).toBe(0)
    const flood = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { kind: string }) => a.kind === 'flood'),
    )
    expect(flood.severity).toBe('critical')
    const devices = (await get('/api/devices')).devices
    expect(devices.find((d: { id: string }) => d.id === 'panic-counter-1')).toMatchObject({
      transport: 'gpio',
      status: 'ok',
    })
    expect(devices.find((d: { id: string }) => d.id === 'water-level-1')).toMatchObject({
      transport: 'modbus',
      status: 'ok',
    })
  })

  it('refuses a scenario that does not fit the device', () => {
    const r = simulate('fire', 'terminal-1')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('scenario fire is for smoke')
  })
})
