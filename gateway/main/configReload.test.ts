import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Registry } from 'prom-client'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/tempDir.js'
import { loadConfig } from '../config/loadConfig.js'
import { createLogger } from '../log.js'
import { secretValues } from '../logRedaction.js'
import { createConfigReload } from './configReload.js'

const yaml = (warningCm: string, port = '0', extra = '') => `
store: { id: s1, name: Store, timeZone: Asia/Shanghai }
rules:
  flood: { warningCm: ${warningCm} }
api: { host: 127.0.0.1, port: ${port} }
${extra}`

/** A reload of a config file in a temp dir, with a logger whose lines the test reads and a lifecycle that records. */
function harness(first: string, failing: () => string[] = () => []) {
  const dir = tempDir()
  const file = join(dir.path, 'store.yaml')
  writeFileSync(file, first)
  const config = loadConfig(file, {})
  const lines: { level: number; msg: string; path?: string; applied?: string[] }[] = []
  const raw: string[] = []
  const logSecrets = secretValues(config)
  const log = createLogger(
    'info',
    {
      write: (line: string) => {
        raw.push(line)
        lines.push(JSON.parse(line))
      },
    },
    logSecrets,
  )
  const handed: number[] = []
  const registry = new Registry()
  const reloader = createConfigReload({
    config,
    log,
    registry,
    logSecrets,
    life: {
      reload: async (next) => {
        handed.push(next.rules.flood.warningCm)
        return failing()
      },
    },
  })
  return { dir, file, lines, raw, handed, reloader, registry, log }
}

describe('config reload', () => {
  let cleanup = () => {}
  afterEach(() => cleanup())

  it('refuses an invalid file, logs every problem by path and hands nothing on', async () => {
    const h = harness(yaml('2'))
    cleanup = h.dir.remove
    writeFileSync(h.file, yaml('deep', '99999'))
    const outcome = await h.reloader.reload()
    expect(outcome.result).toBe('invalid')
    expect(h.lines.filter((l) => l.msg === 'config problem').map((l) => l.path)).toEqual([
      'rules.flood.warningCm',
      'api.port',
    ])
    expect(h.handed).toEqual([])
    expect(h.reloader.current().rules.flood.warningCm).toBe(2)
    expect(await h.registry.metrics()).toContain('storeguard_config_reloads_total{result="invalid"} 1')
  })

  it('applies the live changes, warns by path about the rest and keeps their running value', async () => {
    const h = harness(yaml('2'))
    cleanup = h.dir.remove
    writeFileSync(h.file, yaml('3', '8081'))
    const outcome = await h.reloader.reload()
    expect(outcome).toMatchObject({
      result: 'applied',
      applied: ['rules.flood.warningCm'],
      restartNeeded: ['api.port'],
    })
    expect(h.handed).toEqual([3])
    expect(h.reloader.current().api.port).toBe(0)
    expect(h.lines.filter((l) => l.level === 40).map((l) => l.path)).toEqual(['api.port'])
    expect(h.lines.at(-1)?.msg).toBe('config reloaded')
    expect(await h.registry.metrics()).toContain('storeguard_config_restart_pending 1')
  })

  it('blanks the new file’s secrets in the log from the reload on', async () => {
    const h = harness(yaml('2'))
    cleanup = h.dir.remove
    const secret = 'brand-new-webhook-secret-77'
    writeFileSync(
      h.file,
      yaml(
        '2',
        '0',
        `notifications:\n  channels: [{ id: ops, kind: webhook, url: "http://127.0.0.1:1/h", secret: ${secret} }]\n`,
      ),
    )
    await h.reloader.reload()
    h.log.info({ detail: `delivery said ${secret}` }, 'something')
    expect(h.raw.join('')).not.toContain(secret)
  })

  it('a component that failed to reload is handed the config again at the next reload, and failed shows until it takes it', async () => {
    let failing = ['rules']
    const h = harness(yaml('2'), () => failing)
    cleanup = h.dir.remove
    writeFileSync(h.file, yaml('3'))
    expect((await h.reloader.reload()).result).toBe('failed')
    expect((await h.reloader.reload()).result).toBe('failed')
    expect(h.reloader.status().lastReload?.result).toBe('failed')
    failing = []
    expect((await h.reloader.reload()).result).toBe('applied')
    expect(h.handed).toEqual([3, 3, 3])
    expect((await h.reloader.reload()).result).toBe('applied')
    expect(h.handed).toEqual([3, 3, 3])
  })

  it('refuses a new reference to an environment variable the gateway did not start with', async () => {
    const h = harness(yaml('2'))
    cleanup = h.dir.remove
    const name = 'STOREGUARD_RELOAD_TEST_NEVER_SET'
    delete process.env[name]
    const channel = `[{ id: ops, kind: webhook, url: "http://127.0.0.1:1/h", secret: "\${${name}}" }]`
    writeFileSync(h.file, yaml('3', '0', `notifications:\n  channels: ${channel}\n`))
    const outcome = await h.reloader.reload()
    expect(outcome.result).toBe('invalid')
    expect(outcome.problems.map((p) => p.message)).toEqual([
      `refers to the environment variable ${name}, which is not set`,
    ])
    expect(h.handed).toEqual([])
  })
})
