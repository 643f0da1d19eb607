import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { freePort, waitForPort } from './freePort.js'
import { connectClient } from './mqttClient.js'
import { REPO_ROOT } from './repoRoot.js'

const SHIPPED = join(REPO_ROOT, 'deploy', 'central', 'mosquitto')

/** The password of each user of a test central broker. */
export const centralPassword = (user: string) => `${user}-secret`

/**
 * deploy/central/mosquitto as shipped, on Debian's mosquitto: the same
 * settings and the same ACL file; only the listeners (one plain loopback
 * port instead of 8883 with TLS and 1883), the password file, the
 * persistence folder and the user it runs as are the test's own.
 */
function testConfig(dir: string, port: number): string {
  const shipped = readFileSync(join(SHIPPED, 'mosquitto.conf'), 'utf8').split('\n')
  const kept = shipped.filter(
    (line) =>
      !/^(listener|cafile|certfile|keyfile|require_certificate|use_identity_as_username|password_file|acl_file|persistence_location|log_dest)\b/.test(
        line,
      ),
  )
  return [
    ...kept,
    `listener ${port} 127.0.0.1`,
    `password_file ${join(dir, 'passwd')}`,
    `acl_file ${join(SHIPPED, 'acl')}`,
    `persistence_location ${dir}/`,
    'log_dest stderr',
    // started as root (CI), mosquitto would switch to its own user, who cannot read the test's files
    `user ${userInfo().username}`,
    '',
  ].join('\n')
}

/** The central broker's own certificate, for the shipped TLS listener. */
export interface CentralTlsFiles {
  /** PEM of the CA that signs the stores' client certificates (mosquitto's `cafile`). */
  readonly ca: string
  readonly cert: string
  readonly key: string
}

export interface CentralBrokerOptions {
  /** Also open the shipped TLS listener (client certificates, CN = store id) on a loopback port. */
  readonly tls?: CentralTlsFiles
}

export interface CentralBroker {
  readonly url: string
  /** `mqtts://127.0.0.1:<port>`: the TLS listener; null unless started with `tls`. */
  readonly tlsUrl: string | null
  /** SIGTERM: mosquitto saves its persistent sessions and queued messages on the way out. */
  stop(): Promise<void>
  /** Again on the same port, from the same persistence file. */
  start(): Promise<void>
  /** A client as `user` (a store id, or `central`); closed by `close`. */
  connect(user: string, extra?: Parameters<typeof connectClient>[3]): Promise<MqttClient>
  close(): Promise<void>
}

/**
 * deploy/central/mosquitto as shipped, both listeners kept where they are in
 * the file, with every TLS listener setting (`require_certificate`,
 * `use_identity_as_username`) as shipped: only the ports (loopback), the
 * certificate files, the password file, the persistence folder and the user
 * are the test's own.
 */
function tlsTestConfig(dir: string, port: number, tlsPort: number, tls: CentralTlsFiles): string {
  const own: [RegExp, string][] = [
    [/^listener\s+8883\b/, `listener ${tlsPort} 127.0.0.1`],
    [/^listener\s+1883\b/, `listener ${port} 127.0.0.1`],
    [/^cafile\b/, `cafile ${tls.ca}`],
    [/^certfile\b/, `certfile ${tls.cert}`],
    [/^keyfile\b/, `keyfile ${tls.key}`],
    [/^password_file\b/, `password_file ${join(dir, 'passwd')}`],
    [/^acl_file\b/, `acl_file ${join(SHIPPED, 'acl')}`],
    [/^persistence_location\b/, `persistence_location ${dir}/`],
    [/^log_dest\b/, 'log_dest stderr'],
  ]
  const shipped = readFileSync(join(SHIPPED, 'mosquitto.conf'), 'utf8').split('\n')
  for (const [pattern] of own) {
    if (!shipped.some((line) => pattern.test(line)))
      throw new Error(`the shipped mosquitto.conf has no ${pattern} line`)
  }
  const lines = shipped.map((line) => own.find(([pattern]) => pattern.test(line))?.[1] ?? line)
  // started as root (CI), mosquitto would switch to its own user, who cannot read the test's files
  return [...lines, `user ${userInfo().username}`, ''].join('\n')
}

/**
 * The shipped central broker with a password for each of `users` (see
 * `centralPassword`); with `options.tls`, also its TLS listener for stores
 * with a client certificate.
 */
export async function startCentralBroker(
  dir: string,
  users: readonly string[],
  options: CentralBrokerOptions = {},
): Promise<CentralBroker> {
  const passwd = join(dir, 'passwd')
  writeFileSync(passwd, '')
  for (const user of users) execFileSync('mosquitto_passwd', ['-b', passwd, user, centralPassword(user)])
  const port = await freePort()
  const tlsPort = options.tls ? await freePort() : null
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(
    conf,
    options.tls && tlsPort !== null ? tlsTestConfig(dir, port, tlsPort, options.tls) : testConfig(dir, port),
  )
  const url = `mqtt://127.0.0.1:${port}`
  const clients: MqttClient[] = []
  let proc: ChildProcess | null = null
  let exited: Promise<void> = Promise.resolve()

  const start = async () => {
    const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr?.resume()
    exited = new Promise((resolve) => child.once('exit', () => resolve()))
    proc = child
    await waitForPort(port)
    if (tlsPort !== null) await waitForPort(tlsPort)
  }
  const stop = async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    await exited
    proc = null
  }
  await start()
  return {
    url,
    tlsUrl: tlsPort === null ? null : `mqtts://127.0.0.1:${tlsPort}`,
    start,
    stop,
    async connect(user, extra = {}) {
      const client = await connectClient(url, user, centralPassword(user), extra)
      clients.push(client)
      return client
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true)))
      await stop()
    },
  }
}
