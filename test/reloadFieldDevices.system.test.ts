import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type IServiceVector, ModbusServerTcp, type ServerTCP } from '../devices/modbus/modbusSerialModule.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { type GpiodStandIns, gpiodStandIns } from './support/gpiodStandIns.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, testStoreConfig } from './support/testStore.js'

/** Water levels in mm (the profile's holding register 0), by unit id: unit 1 is dry, unit 2 is flooded (12 cm). */
const LEVEL_MM: Record<number, number> = { 1: 10, 2: 120 }

/** A Modbus TCP device on modbus-serial's ServerTCP that counts the requests each unit id gets. */
async function startLevelServer(port: number) {
  const requests = new Map<number, number>()
  const vector: IServiceVector = {
    getHoldingRegister: (_addr: number, unitId: number, cb: (err: Error | null, value: number) => void) => {
      requests.set(unitId, (requests.get(unitId) ?? 0) + 1)
      cb(null, LEVEL_MM[unitId] ?? 0)
    },
  }
  const server: ServerTCP = new ModbusServerTcp(vector, { host: '127.0.0.1', port })
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve())
    server.on('serverError', (err) => reject(err ?? new Error('could not listen')))
  })
  server.on('socketError', () => {})
  return {
    requests: (unitId: number) => requests.get(unitId) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const TANK = (id: string, zone: string, unitId: number) =>
  `  - { id: ${id}, type: water_level, zone: ${zone}, modbus: { bus: plc, unitId: ${unitId}, profile: water-level-4-20ma, pollSec: 0.2 } }\n`
const PANIC = '  - { id: panic-office-1, type: panic_button, zone: office, gpio: { line: 17, bias: pull-up } }\n'

type LogLine = { msg?: string; result?: string; applied?: string[]; restartNeeded?: string[] }

describe('config reload on SIGHUP: Modbus and GPIO devices start and stop live', () => {
  const dir = tempDir()
  let gpiod: GpiodStandIns
  let plc: Awaited<ReturnType<typeof startLevelServer>>
  let plcPort: number
  let gateway: GatewayProcess
  const file = () => join(dir.path, 'storeguard.yaml')

  const yaml = (devices: string) =>
    `${testStoreConfig(dir.path, { extraDevices: devices })}modbus:
  buses:
    - { id: plc, type: tcp, host: 127.0.0.1, port: ${plcPort}, timeoutMs: 500 }
gpio: { driver: gpiod, chip: gpiochip0 }
`

  const logLines = (): LogLine[] =>
    gateway.output.flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine]
      } catch {
        return []
      }
    })

  /** Writes the file, sends SIGHUP and returns the `config reloaded` line of this reload. */
  async function reloadWith(devices: string): Promise<LogLine> {
    const seen = logLines().filter((l) => l.msg === 'config reloaded').length
    writeFileSync(file(), yaml(devices))
    gateway.proc.kill('SIGHUP')
    return eventually(
      async () => logLines().filter((l) => l.msg === 'config reloaded')[seen],
      30_000,
      '"config reloaded" in the log',
    )
  }

  const devices = async () =>
    (await api(gateway.apiUrl, 'GET', '/api/devices', SECRETS.manager)).json.devices as {
      id: string
      status: string
      values: Record<string, { value: unknown }>
    }[]
  const alarms = async () =>
    (await api(gateway.apiUrl, 'GET', '/api/alarms', SECRETS.manager)).json.alarms as {
      kind: string
      zone: string
      deviceId?: string
      state: string
    }[]
  const floodIn = async (zone: string) => (await alarms()).find((a) => a.kind === 'flood' && a.zone === zone)

  beforeAll(async () => {
    gpiod = gpiodStandIns()
    // the gateway's gpiod driver finds the stand-in gpiomon / gpioget first on PATH (spawn inherits it)
    process.env.PATH = gpiod.env.PATH
    plcPort = await freePort()
    plc = await startLevelServer(plcPort)
    gateway = await startGatewayProcess(dir.path, yaml(TANK('tank-dry-1', 'cellar', 1)))
  })
  afterAll(async () => {
    await gateway?.kill()
    await plc?.close()
    gpiod?.remove()
    dir.remove()
  })

  it('before the reload: the Modbus device it started with is polled, the one on unit 2 is not', async () => {
    await eventually(async () =>
      (await devices()).find((d) => d.id === 'tank-dry-1')?.values.level_cm ? true : undefined,
    )
    expect(plc.requests(2)).toBe(0)
  })

  it('a Modbus device added by reload is polled and its flood raises an alarm; the one kept is not faulted', async () => {
    const done = await reloadWith(TANK('tank-dry-1', 'cellar', 1) + TANK('tank-wet-1', 'boiler', 2))
    expect(done).toMatchObject({ result: 'applied', applied: ['devices[tank-wet-1]'], restartNeeded: [] })
    await eventually(async () => ((await floodIn('boiler')) ? true : undefined), 15_000, 'the boiler flood alarm')
    const polledBefore = plc.requests(1)
    await eventually(async () => (plc.requests(1) > polledBefore ? true : undefined), 15_000, 'unit 1 polled again')
    const kept = (await devices()).find((d) => d.id === 'tank-dry-1')
    expect(kept?.status).toBe('ok')
  })

  it('a Modbus device removed by reload is no longer polled, leaves the device list, and its alarm stays open', async () => {
    await reloadWith(TANK('tank-dry-1', 'cellar', 1))
    // the bus restarted without unit 2: unit 1 being polled after that shows the new poll round runs
    const removedAt = plc.requests(2)
    const polledBefore = plc.requests(1)
    await eventually(async () => (plc.requests(1) > polledBefore + 3 ? true : undefined), 15_000, 'unit 1 polled')
    expect(plc.requests(2)).toBe(removedAt)
    const listed = (await devices()).map((d) => d.id)
    expect(listed).toContain('tank-dry-1')
    expect(listed).not.toContain('tank-wet-1')
    expect((await floodIn('boiler'))?.state).not.toBe('closed')
    expect((await devices()).find((d) => d.id === 'tank-dry-1')?.status).toBe('ok')
    // restarting the bus twice never cut a poll of the device it kept into a comm fault
    expect(gateway.output.filter((l) => l.includes('connection_lost'))).toEqual([])
  })

  it('a GPIO panic button added by reload is read: its line going low raises a robbery alarm', async () => {
    const done = await reloadWith(TANK('tank-dry-1', 'cellar', 1) + PANIC)
    expect(done).toMatchObject({ result: 'applied', applied: ['devices[panic-office-1]'] })
    // claimed: its level read and watched
    await eventually(async () =>
      (await devices()).find((d) => d.id === 'panic-office-1')?.values.pressed ? true : undefined,
    )
    expect(await alarms()).not.toContainEqual(expect.objectContaining({ kind: 'robbery', zone: 'office' }))
    gpiod.setLevel(17, false)
    gpiod.emit(17, '0 17')
    await eventually(
      async () => ((await alarms()).some((a) => a.kind === 'robbery' && a.zone === 'office') ? true : undefined),
      15_000,
      'the office robbery alarm',
    )
  })
})
