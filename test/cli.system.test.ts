import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { verifySecret } from '../gateway/security/secretHash.js'
import { api, eventually } from './support/api.js'
import { type GatewayProcess, startGatewayProcess } from './support/gatewayProcess.js'
import { tempDir } from './support/tempDir.js'
import { SECRETS, testStoreConfig } from './support/testStore.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'gateway', 'cli.js')
const DEMO = join(import.meta.dirname, '..', 'deploy', 'demo.yaml')

function storeguard(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
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

  it('an unknown command prints the usage and exits 2', () => {
    const r = storeguard('frobnicate')
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage:')
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
