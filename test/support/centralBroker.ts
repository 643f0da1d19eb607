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

export interface CentralBroker {
  readonly url: string
  /** SIGTERM: mosquitto saves its persistent sessions and queued messages on the way out. */
  stop(): Promise<void>
  /** Again on the same port, from the same persistence file. */
  start(): Promise<void>
  /** A client as `user` (a store id, or `central`); closed by `close`. */
  connect(user: string, extra?: Parameters<typeof connectClient>[3]): Promise<MqttClient>
  close(): Promise<void>
}

/** The shipped central broker with a password for each of `users` (see `centralPassword`). */
export async function startCentralBroker(dir: string, users: readonly string[]): Promise<CentralBroker> {
  const passwd = join(dir, 'passwd')
  writeFileSync(passwd, '')
  for (const user of users) execFileSync('mosquitto_passwd', ['-b', passwd, user, centralPassword(user)])
  const port = await freePort()
  const conf = join(dir, 'mosquitto.conf')
  writeFileSync(conf, testConfig(dir, port))
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
  }
  const stop = async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
    await exited
    proc = null
  }
  await start()
  return {
    url,
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
