import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, waitForPort } from './support/freePort.js'
import { connectClient } from './support/mqttClient.js'
import { tempDir } from './support/tempDir.js'

const CENTRAL = join(import.meta.dirname, '..', 'deploy', 'central', 'mosquitto')

/**
 * deploy/central/mosquitto as shipped, on Debian's mosquitto: the same
 * settings and the same ACL file; only the listeners (one plain loopback
 * port instead of 8883 with TLS and 1883), the password file, the
 * persistence folder and the user it runs as are this test's own.
 */
function testConfig(dir: string, port: number): string {
  const shipped = readFileSync(join(CENTRAL, 'mosquitto.conf'), 'utf8').split('\n')
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
    `acl_file ${join(CENTRAL, 'acl')}`,
    `persistence_location ${dir}/`,
    'log_dest stderr',
    // started as root (CI), mosquitto would switch to its own user, who cannot read this test's files
    `user ${userInfo().username}`,
    '',
  ].join('\n')
}

/** Every message `client` receives, by topic. */
function record(client: MqttClient): string[] {
  const seen: string[] = []
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`))
  return seen
}

const settle = () => new Promise((r) => setTimeout(r, 500))

describe('the central broker config: each store in its own subtree', () => {
  const dir = tempDir()
  let broker: ChildProcess
  let url: string
  const clients: MqttClient[] = []
  const connect = async (user: string) => {
    const c = await connectClient(url, user, `${user}-secret`)
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    const passwd = join(dir.path, 'passwd')
    writeFileSync(passwd, '')
    for (const user of ['s1', 's2', 'central']) execFileSync('mosquitto_passwd', ['-b', passwd, user, `${user}-secret`])
    const port = await freePort()
    const conf = join(dir.path, 'mosquitto.conf')
    writeFileSync(conf, testConfig(dir.path, port))
    broker = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
    await waitForPort(port)
    url = `mqtt://127.0.0.1:${port}`
  })
  afterAll(async () => {
    for (const c of clients) await c.endAsync()
    broker?.kill('SIGTERM')
    dir.remove()
  })

  it('refuses anonymous clients', async () => {
    await expect(
      (await import('mqtt')).connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000 }),
    ).rejects.toThrow(/Not authorized|Bad username or password/i)
  })

  it('the centre reads every store; a store publishes only under its own id', async () => {
    const central = await connect('central')
    const seen = record(central)
    await central.subscribeAsync('storeguard/#', { qos: 1 })
    const s1 = await connect('s1')
    await s1.publishAsync('storeguard/s1/alarms/a-1', 'fire', { qos: 1 })
    await s1.publishAsync('storeguard/s2/alarms/a-2', 'forged', { qos: 1 })
    await settle()
    expect(seen).toEqual(['storeguard/s1/alarms/a-1 fire'])
  })

  it('commands from the centre reach the store they name, and no other store can read them', async () => {
    const s1 = await connect('s1')
    const s2 = await connect('s2')
    const s1Seen = record(s1)
    const s2Seen = record(s2)
    await s1.subscribeAsync('storeguard/s1/commands/#', { qos: 1 })
    // a store reaching for another's commands: mosquitto 2.0 grants the SUBSCRIBE over MQTT 3.1.1
    // but checks the read ACL on every delivery, so nothing ever arrives
    await s2.subscribeAsync('storeguard/s1/commands/#', { qos: 1 })
    const central = await connect('central')
    await central.publishAsync('storeguard/s1/commands/ack', '{"alarmId":"a-1"}', { qos: 1 })
    // the centre may command, not speak for a store
    await central.publishAsync('storeguard/s1/alarms/a-9', 'forged by the centre', { qos: 1 })
    await settle()
    expect(s1Seen).toEqual(['storeguard/s1/commands/ack {"alarmId":"a-1"}'])
    expect(s2Seen).toEqual([])
  })
})
