import type { MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually } from './support/api.js'
import { type CentralBroker, startCentralBroker } from './support/centralBroker.js'
import { tempDir } from './support/tempDir.js'

/** Every message `client` receives, by topic. */
function record(client: MqttClient): string[] {
  const seen: string[] = []
  client.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`))
  return seen
}

/** Time for a message that should not come to show up, once the ones that should have come are in. */
const settle = () => new Promise((r) => setTimeout(r, 500))

describe('the central broker config: each store in its own subtree', () => {
  const dir = tempDir()
  let broker: CentralBroker
  const connect = (user: string) => broker.connect(user)

  beforeAll(async () => {
    broker = await startCentralBroker(dir.path, ['s1', 's2', 'central'])
  })
  afterAll(async () => {
    await broker?.close()
    dir.remove()
  })

  it('refuses anonymous clients', async () => {
    await expect(
      (await import('mqtt')).connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 3000 }),
    ).rejects.toThrow(/Not authorized|Bad username or password/i)
  })

  it('the centre reads every store; a store publishes only under its own id', async () => {
    const central = await connect('central')
    const seen = record(central)
    await central.subscribeAsync('storeguard/#', { qos: 1 })
    const s1 = await connect('s1')
    await s1.publishAsync('storeguard/s1/alarms/a-1', 'fire', { qos: 1 })
    await s1.publishAsync('storeguard/s2/alarms/a-2', 'forged', { qos: 1 })
    await s1.publishAsync('storeguard/s1/alarms/a-3', 'after', { qos: 1 })
    // one publisher's messages arrive in order: once the last is in, the forged one had its chance
    await eventually(async () => (seen.length >= 2 ? true : undefined), 15_000, 'the store’s own messages')
    expect(seen).toEqual(['storeguard/s1/alarms/a-1 fire', 'storeguard/s1/alarms/a-3 after'])
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
    await eventually(async () => (s1Seen.length > 0 ? true : undefined), 15_000, 'the command at s1')
    // another subscriber's copy is not ordered after s1's: leave it time to show up
    await settle()
    expect(s1Seen).toEqual(['storeguard/s1/commands/ack {"alarmId":"a-1"}'])
    expect(s2Seen).toEqual([])
  })
})
