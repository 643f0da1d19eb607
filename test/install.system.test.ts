import { execFileSync } from 'node:child_process'
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { eventually } from './support/api.js'
import { createDebianRoot, type DebianRoot, type RunResult } from './support/debianRoot.js'
import { freePort } from './support/freePort.js'
import { serveHostNode } from './support/nodeDist.js'
import { tempDir } from './support/tempDir.js'

/**
 * deploy/install.sh and deploy/storeguard.service on a fresh Debian (issue
 * items 1 and 2): a bookworm root made with debootstrap, as Raspberry Pi OS
 * bookworm is. Its nodejs is 18, too old, so install.sh downloads a Node.js
 * release, from a stand-in download site on loopback serving this machine's
 * own Node, and has to compile better-sqlite3 against that Node's headers
 * (its prebuilt binaries are out of reach here). Runs as root (CI does):
 * debootstrap, chroot and namespaces need it.
 */
const SUITE = 'bookworm'
const MINUTES = 60_000
// Limits for failures only. The first install compiles better-sqlite3 from source, which on two
// loaded cores has taken more than 12 minutes; a test must not fail for a busy machine.
const INSTALL_LIMIT = 40 * MINUTES
const SRC = '/usr/src/storeguard'
const REPO = join(import.meta.dirname, '..')

/** The host's npm registry, CA file and proxies, so npm in the root reaches what npm here reaches. */
function npmEnvironment(root: string): Record<string, string> {
  const get = (key: string) => execFileSync('npm', ['config', 'get', key], { encoding: 'utf8' }).trim()
  const env: Record<string, string> = { npm_config_registry: get('registry') }
  for (const key of ['proxy', 'https-proxy']) {
    const value = get(key)
    if (value !== 'null' && value !== '') env[`npm_config_${key.replace('-', '_')}`] = value
  }
  mkdirSync(join(root, 'etc/storeguard-test'), { recursive: true })
  const cafile = get('cafile')
  if (cafile !== 'null' && cafile !== '' && existsSync(cafile)) {
    cpSync(cafile, join(root, 'etc/storeguard-test/ca.pem'))
    env.npm_config_cafile = '/etc/storeguard-test/ca.pem'
  }
  // CAs the host's node trusts beyond its own (a proxy's): a node from nodejs.org, as install.sh
  // puts in the root, trusts only its built-in ones, not the root's /etc/ssl/certs
  const extra = [cafile, process.env.NODE_EXTRA_CA_CERTS ?? '']
    .filter((f) => f !== 'null' && f !== '' && existsSync(f))
    .map((f) => readFileSync(f, 'utf8'))
  if (extra.length > 0) {
    writeFileSync(join(root, 'etc/storeguard-test/extra-ca.pem'), extra.join('\n'))
    env.NODE_EXTRA_CA_CERTS = '/etc/storeguard-test/extra-ca.pem'
  }
  return env
}

/** The checkout as git sees it (tracked and new files), copied to /usr/src/storeguard in the root. */
function copyCheckout(root: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(REPO, f)))
  for (const file of files) cpSync(join(REPO, file), join(root, SRC, file))
}

/** Packages package-lock.json installs only as dev dependencies (typescript, vitest, …): pruned from /opt/storeguard. */
function devOnlyPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>
  }
  const names = Object.entries(lock.packages)
    .filter(([path, entry]) => entry.dev === true && path.lastIndexOf('node_modules/') === 0)
    .map(([path]) => path.slice('node_modules/'.length))
  expect(names).toContain('typescript')
  return names
}

describe('install.sh on a fresh Debian', () => {
  const work = tempDir('storeguard-install-')
  let root: DebianRoot
  let env: Record<string, string>
  let nodeDist: Awaited<ReturnType<typeof serveHostNode>> | undefined
  const runs: RunResult[] = []
  const install = async () => {
    const result = await root.run(['bash', `${SRC}/deploy/install.sh`], { env, timeoutMs: INSTALL_LIMIT })
    runs.push(result)
    return result
  }
  const inRoot = (...argv: string[]) => root.run(argv, { env })
  const file = (path: string) => readFileSync(join(root.path, path), 'utf8')

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('this test needs root (debootstrap, chroot, namespaces): run it as root')
    root = await createDebianRoot(SUITE, join(work.path, 'root'))
    copyCheckout(root.path)
    nodeDist = await serveHostNode(join(work.path, 'dist'))
    env = { ...npmEnvironment(root.path), NODE_DIST_URL: nodeDist.url, NODE_VERSION: nodeDist.version }
  }, 30 * MINUTES)

  afterAll(async () => {
    await nodeDist?.close()
    root?.remove()
    work.remove()
  })

  it(
    'installs Node.js, the build tools, the user, the app, the config and the unit',
    async () => {
      const { code, output } = await install()
      expect(code, output).toBe(0)
      expect(output).toContain(`node     downloaded node-${process.version}-linux-`)
      expect(output).toContain('SHA-256 checked')
      expect(output).toContain(`node     installed node-${process.version}-linux-`)
      expect(output).toContain('packages installed: ca-certificates python3 make g++ gpiod procps')
      expect(output).toContain('created system user storeguard')
      expect(output).toContain('created /etc/storeguard/storeguard.yaml')
      expect(output).toContain('installed /opt/storeguard')
      expect(output).toContain('/etc/storeguard/storeguard.yaml: valid (store store-001')
      expect(output).toContain('enabled; systemd is not running here, so it starts at the next boot')
      expect(output).toContain('logs     journalctl -u storeguard -f')
    },
    INSTALL_LIMIT + 5 * MINUTES,
  )

  it(
    'upgrades in place on a second run, keeping the config, the env file and the state',
    async () => {
      appendFileSync(join(root.path, 'etc/storeguard/storeguard.yaml'), '# edited by the store\n')
      writeFileSync(join(root.path, 'var/lib/storeguard/kept.txt'), 'state\n')
      const envFile = file('etc/storeguard/storeguard.env')
      const token = file('etc/storeguard/admin-token')
      // a new release: one more file in the checkout
      writeFileSync(join(root.path, SRC, 'deploy/RELEASE'), 'second release\n')
      const { code, output } = await install()
      expect(code, output).toBe(0)
      expect(output).toContain('upgraded /opt/storeguard in place')
      expect(output).toContain('kept /etc/storeguard/storeguard.yaml')
      expect(output).not.toContain('created')
      expect(file('opt/storeguard/deploy/RELEASE')).toBe('second release\n')
      expect(file('etc/storeguard/storeguard.yaml')).toMatch(/# edited by the store\n$/)
      expect(file('etc/storeguard/storeguard.env')).toBe(envFile)
      expect(file('etc/storeguard/admin-token')).toBe(token)
      expect(file('var/lib/storeguard/kept.txt')).toBe('state\n')
      expect(existsSync(join(root.path, 'opt/storeguard.old'))).toBe(false)
    },
    INSTALL_LIMIT + 5 * MINUTES,
  )

  it(
    'changes nothing on a third run with nothing new',
    async () => {
      const { code, output } = await install()
      expect(code, output).toBe(0)
      expect(output).toContain('is up to date')
      expect(output).toContain('kept /usr/local/bin/node')
      expect(output).toContain('already installed')
      expect(output).not.toContain('installed /opt/storeguard')
    },
    INSTALL_LIMIT + 5 * MINUTES,
  )

  it(
    'runs the gateway as storeguard, in gpio and dialout, with the dev dependencies pruned',
    async () => {
      const groups = await inRoot('id', '-nG', 'storeguard')
      expect(groups.output.trim().split(' ')).toEqual(expect.arrayContaining(['storeguard', 'gpio', 'dialout']))
      const validate = await inRoot(
        'runuser',
        '-u',
        'storeguard',
        '--',
        '/usr/local/bin/node',
        '/opt/storeguard/dist/gateway/cli.js',
        'validate',
        '/etc/storeguard/storeguard.yaml',
      )
      expect(validate.code, validate.output).toBe(0)
      const modules = join(root.path, 'opt/storeguard/node_modules')
      expect(existsSync(join(modules, 'better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true)
      const left = devOnlyPackages().filter((name) => existsSync(join(modules, name)))
      expect(left).toEqual([])
      const state = await inRoot('stat', '-c', '%U:%G %a', '/var/lib/storeguard', '/etc/storeguard/storeguard.yaml')
      expect(state.output.trim().split('\n')).toEqual(['storeguard:storeguard 750', 'root:storeguard 640'])
    },
    5 * MINUTES,
  )

  it(
    'installs a unit that systemd-analyze verify accepts, enabled at boot',
    async () => {
      const unit = file('etc/systemd/system/storeguard.service')
      expect(unit).toContain('ExecStart=/usr/local/bin/node /opt/storeguard/dist/gateway/cli.js run')
      const verify = await inRoot('systemd-analyze', 'verify', '/etc/systemd/system/storeguard.service')
      expect(verify.code, verify.output).toBe(0)
      expect(verify.output).toBe('')
      const enabled = await inRoot('systemctl', 'is-enabled', 'storeguard.service')
      expect(enabled.output.trim()).toBe('enabled')
    },
    5 * MINUTES,
  )

  it(
    'starts the installed gateway, which answers /healthz and lets the first admin in',
    async () => {
      const config = parse(file('etc/storeguard/storeguard.yaml'))
      const apiPort = await freePort()
      config.api = { ...config.api, host: '127.0.0.1', port: apiPort }
      config.broker = { ...config.broker, host: '127.0.0.1', port: await freePort() }
      writeFileSync(join(root.path, 'tmp/loopback.yaml'), stringify(config), { mode: 0o644 })
      const gateway = root.start(
        ['runuser', '-u', 'storeguard', '--', '/usr/local/bin/node', '/opt/storeguard/dist/gateway/cli.js'].concat([
          'run',
          '--config',
          '/tmp/loopback.yaml',
        ]),
        { env },
      )
      try {
        const url = `http://127.0.0.1:${apiPort}`
        const health = await eventually(
          async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.json(),
          30_000,
          `/healthz of the installed gateway:\n${gateway.output()}`,
        )
        expect(health).toMatchObject({ status: 'ok', store: 'store-001' })
        const token = file('etc/storeguard/admin-token').trim()
        const alarms = await fetch(`${url}/api/alarms`, { headers: { authorization: `Bearer ${token}` } })
        expect(alarms.status).toBe(200)
      } finally {
        await gateway.stop()
      }
    },
    5 * MINUTES,
  )
})
