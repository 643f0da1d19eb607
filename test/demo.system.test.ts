import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { demoYaml } from './support/demoConfig.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { openSse } from './support/sse.js'
import { tempDir } from './support/tempDir.js'

const ROOT = join(import.meta.dirname, '..')
const TOKEN = 'demo-viewer-token'
const ROLES = ['viewer', 'staff', 'maintenance', 'manager', 'admin'] as const

interface DeviceRow {
  readonly id: string
  readonly transport: string
  readonly status: string
  readonly lastSeen: string | null
  readonly values: Readonly<Record<string, { readonly value: unknown; readonly at: string }>>
}

function demoOnFreePorts(dataDir: string, modbusPort: number): string {
  return demoYaml(dataDir, { modbus: modbusPort })
}

describe('the demo store', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, TOKEN)).json
  const devices = async (): Promise<DeviceRow[]> => (await get('/api/devices')).devices
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
    expect(banner).toContain(gateway.mqttUrl)
    expect(banner).toContain('simulate fire smoke-hall-1')
  })

  it('prints a token for every role, and each signs in as exactly that role', async () => {
    const banner = await eventually(async () => {
      const text = gateway.output.join('\n')
      return text.includes('Demo tokens') ? text : undefined
    })
    for (const role of ROLES) {
      const token = new RegExp(`^ +${role} +(\\S+)$`, 'm').exec(banner)?.[1]
      expect(token, `a ${role} token in the banner`).toBeDefined()
      // the console's own stream says who the token signs in as
      const { status, stream } = await openSse<{ user: { role: string } }>(`${gateway.apiUrl}/api/stream`, token)
      try {
        expect(status, `${role} token accepted`).toBe(200)
        expect((await stream.until(() => true, 15_000, `${role}'s first snapshot`)).user.role).toBe(role)
      } finally {
        stream.close()
      }
    }
  })

  it('every simulated device reports through the broker, and none of it is rejected', async () => {
    const devices = await eventually(async () => {
      // a manager's list: below manager a panic button never shows when it was last heard from
      const list: DeviceRow[] = (await api(gateway.apiUrl, 'GET', '/api/devices', 'demo-manager-token')).json.devices
      return list.every((d) => d.lastSeen !== null) ? list : undefined
    }, 15_000)
    expect(devices).toHaveLength(13)
    expect(await get('/metrics')).not.toMatch(/storeguard_rejected_messages_total\{reason="[a-z_]+"\} [1-9]/)
    expect((await get('/api/alarms')).alarms).toEqual([])
  })

  it('reads the back-room water level over Modbus RTU, through a socat pty pair and the RTU simulator', async () => {
    const reading = await eventually(async () => {
      const level = (await devices()).find((d) => d.id === 'water-level-2')
      return level?.values.level_cm ? level : undefined
    }, 10_000)
    expect(reading).toMatchObject({ transport: 'modbus', status: 'ok' })
    expect(gateway.output.some((l) => l.includes('"bus":"demo-rs485"') && l.includes('"modbus connected"'))).toBe(true)
    // a held value travels simulator → pty → gateway: the reading is the RTU slave's, not made up on the way
    expect(simulate('flood', 'water-level-2').status).toBe(0)
    await eventually(async () => {
      const level = (await devices()).find((d) => d.id === 'water-level-2')
      return level?.values.level_cm?.value === 6 ? true : undefined
    }, 10_000)
    expect(simulate('normal', 'water-level-2').status).toBe(0)
  })

  it('the GPIO panic button raises a silent robbery: the GPIO siren and the strobe never switch on', async () => {
    const outputs = async () => {
      const list = await devices()
      return ['siren-hall', 'strobe-hall'].map((id) => list.find((d) => d.id === id)?.values.on)
    }
    // the outputs start off (written at start), so a robbery that sounded them would show
    const [sirenBefore] = await eventually(async () => {
      const both = await outputs()
      return both.every((on) => on?.value === false) ? both : undefined
    })
    const fromLine = gateway.output.length
    expect(simulate('panic', 'panic-counter-1').status).toBe(0)
    // silent: listed for a manager, never for a viewer (a screen robbers might see)
    const robbery = await eventually(async () =>
      (await api(gateway.apiUrl, 'GET', '/api/alarms', 'demo-manager-token')).json.alarms.find(
        (a: { kind: string }) => a.kind === 'robbery',
      ),
    )
    expect(robbery).toMatchObject({ silent: true, deviceId: 'panic-counter-1' })
    expect((await get('/api/alarms')).alarms.some((a: { kind: string }) => a.kind === 'robbery')).toBe(false)
    // an alarm raised after the robbery: any output the robbery drove has been written by the time it shows
    expect(simulate('flood', 'water-level-1').status).toBe(0)
    const flood = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { key: string }) => a.key === 'flood:entrance'),
    )
    expect(flood.severity).toBe('critical')
    const switchedOn = gateway.output
      .slice(fromLine)
      .filter((l) => l.includes('"msg":"output"') && l.includes('"value":true'))
    expect(switchedOn).toEqual([])
    const [sirenAfter, strobeAfter] = await outputs()
    expect(sirenAfter).toEqual(sirenBefore) // same value, same time: the GPIO line was never written
    expect(strobeAfter?.value).toBe(false)
    const list = await devices()
    expect(list.find((d) => d.id === 'panic-counter-1')).toMatchObject({ transport: 'gpio', status: 'ok' })
    expect(list.find((d) => d.id === 'water-level-1')).toMatchObject({ transport: 'modbus', status: 'ok' })
  })

  it('a simulated fire holds until the device is set back to normal, and the hall siren reports it is sounding', async () => {
    expect(simulate('fire', 'smoke-hall-1').status).toBe(0)
    const fire = await eventually(async () =>
      (await get('/api/alarms')).alarms.find((a: { kind: string }) => a.kind === 'fire'),
    )
    await new Promise((r) => setTimeout(r, 2500)) // two simulator rounds
    const alarms = (await get('/api/alarms')).alarms
    expect(alarms.find((a: { id: string }) => a.id === fire.id).conditionActive).toBe(true)
    // the siren's report comes back on its own time: wait for it rather than for the rounds above
    const siren = await eventually(async () => {
      const found = (await devices()).find((d) => d.id === 'siren-hall')
      return found?.values.on?.value === true ? found : undefined
    })
    expect(siren.values.on?.value).toBe(true)

    expect(simulate('normal', 'smoke-hall-1').status).toBe(0)
    await eventually(async () => {
      const a = (await get('/api/alarms')).alarms.find((x: { id: string }) => x.id === fire.id)
      return a.conditionActive ? undefined : true
    })
  })

  it('refuses a scenario that does not fit the device', () => {
    const r = simulate('fire', 'terminal-1')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('scenario fire is for smoke')
  })
})

describe('the demo store on a machine without socat', () => {
  const dir = tempDir()
  let gateway: GatewayProcess
  const get = async (path: string) => (await api(gateway.apiUrl, 'GET', path, TOKEN)).json

  beforeAll(async () => {
    // the gateway is spawned with a PATH on which there is no socat; node itself is started by its full path
    const path = process.env.PATH
    process.env.PATH = join(dir.path, 'empty-bin')
    const starting = startGatewayProcess(dir.path, demoOnFreePorts(dir.path, await freePort()))
    process.env.PATH = path
    gateway = await starting
  })
  afterAll(async () => {
    await gateway?.kill()
    dir.remove()
  })

  it('warns once to install socat and runs without the RTU bus: no fault, no crash', async () => {
    const level = async (id: string): Promise<DeviceRow | undefined> =>
      ((await get('/api/devices')).devices as DeviceRow[]).find((d) => d.id === id)
    // four polls of the TCP bus: the RTU bus, polled on the same 2 s period, would have failed its 3 by then
    const seen = new Set<string>()
    await eventually(
      async () => {
        const ts = (await level('water-level-1'))?.values.level_cm?.at
        if (ts !== undefined) seen.add(ts)
        return seen.size >= 4 ? true : undefined
      },
      15_000,
      'four polls of the TCP water level',
    )
    const warnings = gateway.output.filter((l) => l.includes('install the Debian package socat'))
    expect(warnings).toHaveLength(1)
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, buses: ['demo-rs485'] })
    expect(await level('water-level-2')).toMatchObject({ status: 'ok', lastSeen: null })
    expect((await get('/api/alarms')).alarms).toEqual([])
    expect(gateway.proc.exitCode).toBeNull()
  }, 30_000)
})
