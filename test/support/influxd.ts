import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import { InfluxDB } from 'influx'
import { freePort } from './freePort.js'

export interface Influxd {
  /** `http://127.0.0.1:<port>` (`https://` with `tls`), stable across stop() / start(). */
  readonly url: string
  readonly port: number
  /** True between start() and stop(). */
  readonly running: boolean
  /** A node-influx client on this server, defaulting to `database` (trusting the `tls` CA over https). */
  client(database?: string): InfluxDB
  /** Stops the server (SIGTERM, SIGKILL after 5 s); its data stays in the dir. */
  stop(): Promise<void>
  /** Starts it again on the same dir and port, and waits for /ping. */
  start(): Promise<void>
  /** Every line influxd wrote, for failure messages. */
  readonly output: string[]
}

/**
 * Debian's influxd 1.6 on 127.0.0.1 with its data under `dir` (docs/design.md#tests: real
 * servers on loopback). Only the HTTP API listens (on a free port); the RPC
 * listener (default :8088) is moved to a free loopback port too, so parallel
 * test files never collide. No auth unless `admin` is given; no reporting, no
 * `_internal` database.
 */
export interface InfluxdOptions {
  /** `[http] max-body-size` in bytes (influxd answers 413 above it); default 25 MB. */
  readonly maxBodySize?: number
  /** Turns on `[http] auth-enabled` with this admin user (created on first start). */
  readonly admin?: { readonly username: string; readonly password: string }
  /** Serves https only (`[http] https-enabled`) with this certificate; `ca` signed it (see serverCertificates). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string }
}

export async function startInfluxd(dir: string, options: InfluxdOptions = {}): Promise<Influxd> {
  const port = await freePort()
  const rpcPort = await freePort()
  const conf = join(dir, `influxd-${port}.conf`)
  mkdirSync(join(dir, `influxd-${port}`), { recursive: true })
  writeFileSync(
    conf,
    influxdConfig(
      join(dir, `influxd-${port}`),
      port,
      rpcPort,
      options.maxBodySize ?? 25_000_000,
      options.admin !== undefined,
      options.tls,
    ),
  )
  const tls = options.tls
  const ca = tls ? readFileSync(tls.ca) : undefined
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`
  const output: string[] = []
  let proc: ChildProcess | null = null
  let exited: Promise<void> = Promise.resolve()
  let identity: string | null = null
  const admin = options.admin
  const connect = (database: string | undefined, user: InfluxdOptions['admin']) =>
    new InfluxDB({
      host: '127.0.0.1',
      port,
      ...(tls ? { protocol: 'https' as const, options: { ca } } : {}),
      ...(database !== undefined ? { database } : {}),
      ...(user ?? {}),
    })
  const client = (database?: string) => connect(database, admin)

  const start = async (): Promise<void> => {
    if (proc) return
    const child = spawn('/usr/bin/influxd', ['run', '-config', conf], { stdio: ['ignore', 'pipe', 'pipe'] })
    proc = child
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()))
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()))
    exited = new Promise((resolve) => child.once('exit', () => resolve()))
    void exited.then(() => {
      if (proc === child) proc = null
    })
    await waitForPing(url, ca, 15_000, () => proc === null, output)
    // after a restart, make sure /ping came from this server and not from one that took the port meanwhile
    if (identity !== null && !(await client().getDatabaseNames()).includes(identity)) {
      throw new Error(`another server answers on 127.0.0.1:${port}:\n${output.join('')}`)
    }
  }

  const stop = async (): Promise<void> => {
    const child = proc
    if (!child) return
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(killer)
    proc = null
  }

  await start()
  if (admin) {
    // InfluxDB 1.x lets anyone create the first admin user, and nothing else until then
    await connect(undefined, undefined).createUser(admin.username, admin.password, true)
  }
  const marker = `influxd_identity_${randomBytes(4).toString('hex')}`
  await client().createDatabase(marker)
  identity = marker
  return {
    url,
    port,
    get running() {
      return proc !== null
    },
    client,
    stop,
    start,
    output,
  }
}

function influxdConfig(
  dataDir: string,
  port: number,
  rpcPort: number,
  maxBodySize: number,
  auth: boolean,
  tls: InfluxdOptions['tls'],
): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dataDir, 'meta')}"
  retention-autocreate = true
  logging-enabled = false

[data]
  dir = "${join(dataDir, 'data')}"
  wal-dir = "${join(dataDir, 'wal')}"
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = ${auth}
  log-enabled = false
  pprof-enabled = false
  max-body-size = ${maxBodySize}
  https-enabled = ${tls !== undefined}
${tls ? `  https-certificate = "${tls.cert}"\n  https-private-key = "${tls.key}"\n` : ''}
[ifql]
  enabled = false

[continuous_queries]
  enabled = true
  log-enabled = false

[logging]
  level = "warn"
  suppress-logo = true
`
}

async function waitForPing(
  url: string,
  ca: Buffer | undefined,
  timeoutMs: number,
  gone: () => boolean,
  output: string[],
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (gone()) throw new Error(`influxd exited before it answered /ping:\n${output.join('')}`)
    if ((await pingStatus(`${url}/ping`, ca)) === 204) return
    if (Date.now() > deadline)
      throw new Error(`influxd did not answer /ping within ${timeoutMs} ms:\n${output.join('')}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** The `influx:` section of a gateway config pointing at `url` (appended to testStoreConfig). */
export function influxConfigYaml(url: string, settings: Record<string, string | number | boolean> = {}): string {
  const all = { enabled: true, url, database: 'storeguard', flushMs: 100, probeIntervalMs: 200, ...settings }
  return `influx:\n${Object.entries(all)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n')}\n`
}

/** GET /ping over http or https (fetch cannot be given a CA); null when nothing answers. */
function pingStatus(url: string, ca: Buffer | undefined): Promise<number | null> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = get(url, { method: 'GET', timeout: 2000, ...(ca ? { ca } : {}) }, (res) => {
      res.resume()
      resolve(res.statusCode ?? null)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(null))
    req.end()
  })
}
