import { spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { verifySecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { freePort } from './support/freePort.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, testStoreConfig } from './support/testStore.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'gateway', 'cli.js')
const DEMO = join(import.meta.dirname, '..', 'deploy', 'demo.yaml')

function storeguard(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The error code of a TCP connect to 127.0.0.1:port ('ECONNREFUSED' when nothing listens), or 'connected'. */
function connectResult(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

describe('the storeguard command', () => {
  const dir = tempDir()
  let gateway: GatewayProcess | undefined
  afterAll(async () => {
    await gateway?.kill()
    dir.remove()
  })

  it('validate accepts the demo config', () => {
    const r = storeguard('validate', DEMO)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('valid')
  })

  it('validate rejects a broken file, naming the file, line and path of each problem', () => {
    const file = join(dir.path, 'broken.yaml')
    writeFileSync(
      file,
      [
        'store:',
        '  id: s1',
        'devices:',
        '  - { id: a, type: smoke, zone: z }',
        '  - { id: b, type: smok, zone: z }',
        '',
      ].join('\n'),
    )
    const r = storeguard('validate', file)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${file}:5: devices[1].type must be one of`)
  })

  it('validate accepts a token still hashed with scrypt and names its setting, with what to do', () => {
    const file = join(dir.path, 'old-hash.yaml')
    // a hash an older StoreGuard wrote (docs/performance.md#password-hashes)
    const scrypt = 'scrypt$16384$8$1$fK2gRMhyVLn1PyMmqlOUUw==$tkNT1TV+LsBee6IKZZ+sASPSR1hm6fmVVkw2D8dsZ3U='
    writeFileSync(
      file,
      `store: { id: s1 }\napi:\n  users:\n    - { name: old-admin, role: admin, tokenHash: '${scrypt}' }\n`,
    )
    const r = storeguard('validate', file)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(new RegExp(`^${file}: note: api\\.users\\[0\\]\\.tokenHash .*hash-secret`, 'm'))
    expect(r.stderr).not.toContain(scrypt)
  })

  it('run on a broken config stops with the file, the path and what was expected, and leaves nothing listening', async () => {
    const [mqttPort, apiPort] = [await freePort(), await freePort()]
    const dataDir = join(dir.path, 'never-created')
    const file = join(dir.path, 'bad.yaml')
    writeFileSync(
      file,
      [
        'store: { id: s1 }',
        `broker: { host: 127.0.0.1, port: ${mqttPort} }`,
        `api: { host: 127.0.0.1, port: ${apiPort} }`,
        `storage: { dataDir: ${dataDir} }`,
        'devices:',
        '  - { id: a, type: smoke, zone: z }',
        '  - { id: b, type: smok, zone: z }',
        '',
      ].join('\n'),
    )
    const r = storeguard('run', '--config', file)
    expect(r.code, r.stderr).toBe(1) // exited by itself, well inside spawnSync's timeout (which would leave null)
    expect(r.stderr).toContain(`invalid config ${file}`)
    expect(r.stderr).toContain(`${file}:7: devices[1].type must be one of "smoke"`)
    expect(r.stdout).not.toContain('gateway started')
    expect(await connectResult(mqttPort)).toBe('ECONNREFUSED')
    expect(await connectResult(apiPort)).toBe('ECONNREFUSED')
    expect(existsSync(dataDir)).toBe(false) // no journal opened for a config that was refused
  })

  it('run stops in order, exit 0, on a SIGTERM that comes while it is still starting', async () => {
    const startDir = join(dir.path, 'sigterm-at-start')
    const file = join(dir.path, 'sigterm-at-start.yaml')
    // debug level: the "config loaded" line is written at the very start of the start-up
    writeFileSync(file, testStoreConfig(startDir).replace('level: info', 'level: debug'))
    const proc = spawn(process.execPath, [CLI, 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] })
    const lines: string[] = []
    const exited = new Promise<number | string>((resolve) =>
      proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
    )
    createInterface({ input: proc.stderr }).on('line', (line) => lines.push(line))
    createInterface({ input: proc.stdout }).on('line', (line) => {
      lines.push(line)
      // mid-start: the journal, the broker and the API are not all up yet
      if (line.includes('"config loaded"')) proc.kill('SIGTERM')
    })
    expect(await exited, lines.join('\n')).toBe(0)
    expect(lines.some((line) => line.includes('"gateway stopped"'))).toBe(true)
  })

  it('an unknown command prints the usage and exits 2', () => {
    const r = storeguard('frobnicate')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage:')
  })

  it('no command prints the usage on stderr and exits 2; help and --help print it on stdout and exit 0', () => {
    const none = storeguard()
    expect(none.code).toBe(2)
    expect(none.stdout).toBe('')
    expect(none.stderr).toContain('Usage:')
    for (const help of ['help', '--help']) {
      const r = storeguard(help)
      expect(r.code, help).toBe(0)
      expect(r.stdout, help).toContain('Usage:')
    }
  })

  it('hash-secret prints a hash that verifies, and never the secret', async () => {
    const r = storeguard('hash-secret', 'correct horse battery staple')
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('correct horse')
    expect(await verifySecret('correct horse battery staple', r.stdout.trim())).toBe(true)
  })

  it('simulate fire on a running gateway raises the fire alarm through the broker', async () => {
    const config = `${testStoreConfig(dir.path)}
demo:
  simulator: { enabled: false, username: zigbee2mqtt, password: ${SECRETS.zigbee2mqtt} }
`
    gateway = await startGatewayProcess(dir.path, config)
    const r = storeguard(
      'simulate',
      'fire',
      'smoke-hall-1',
      '--config',
      join(dir.path, 'storeguard.yaml'),
      '--broker',
      gateway.mqttUrl,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const base = gateway.apiUrl
    const alarm = await eventually(async () => (await api(base, 'GET', '/api/alarms', SECRETS.viewer)).json.alarms[0])
    expect(alarm).toMatchObject({ kind: 'fire', deviceId: 'smoke-hall-1' })
  })
})
