import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { api, eventually } from './support/api.js'
import { type CentralBroker, centralPassword, startCentralBroker } from './support/centralBroker.js'
import { alarmEventKey, type CentralRecording, recordCentral } from './support/centralRecorder.js'
import { startStoreUnderTest } from './support/storeUnderTest.js'
import { tempDir } from './support/tempDir.js'
import { PREFIX, SECRETS, STORE } from './support/testStore.js'

type TempDir = ReturnType<typeof tempDir>

/** How long the central broker stays away in the outage test (docs/requirements.md#upstream-bridge: "down for a minute"). */
const OUTAGE_MS = 60_000

const bridgeYaml = (url: string) => `
bridge:
  url: ${url}
  password: ${centralPassword(STORE)}
  reconnect: { baseMs: 200, capMs: 2000 }
`

/** The test store's gateway, bridged to `central`; its folder kept across restarts. */
async function startBridgedStore(central: CentralBroker, dir?: TempDir) {
  const store = await startStoreUnderTest({ ...(dir ? { dir } : {}), extraYaml: bridgeYaml(central.url) })
  return {
    ...store,
    ack: (id: string) => store.post(`/api/alarms/${id}/ack`, SECRETS.staff, {}),
    get: (path: string) => store.get(path, SECRETS.manager),
    alarm: store.alarmOfKind,
  }
}

describe('the upstream bridge to a central broker', () => {
  const dir = tempDir()
  let central: CentralBroker
  let consumer: MqttClient
  let seen: CentralRecording
  const running: { stop(signal?: NodeJS.Signals): Promise<void> }[] = []
  const storeDirs: TempDir[] = []
  /** A folder for a store the test restarts; removed after the test. */
  const restartableDir = () => {
    const d = tempDir()
    storeDirs.push(d)
    return d
  }
  /** A store of its own, or on `storeDir` to restart it there. */
  const start = async (storeDir?: TempDir) => {
    const store = await startBridgedStore(central, storeDir)
    running.push(store)
    return store
  }

  beforeAll(async () => {
    central = await startCentralBroker(dir.path, [STORE, 'other-store', 'central'])
    // the centre's consumer keeps a persistent session too, so a broker restart loses nothing for it
    consumer = await central.connect('central', { clientId: 'central-consumer', clean: false, reconnectPeriod: 500 })
    seen = recordCentral(consumer)
    await consumer.subscribeAsync('storeguard/#', { qos: 1 })
  })
  afterEach(async () => {
    for (const g of running.splice(0)) await g.stop()
    for (const d of storeDirs.splice(0)) d.remove()
  })
  afterAll(async () => {
    await central?.close()
    dir.remove()
  })

  it('forwards alarms as retained state and events, each with a deduplication id, and says online', async () => {
    const store = await start()
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await store.alarm('flood')
    const retained = await eventually(
      async () => seen.unique().find((m) => m.topic === `${PREFIX}/alarms/${flood.id}`),
      15_000,
      'the retained flood alarm at the centre',
    )
    expect(retained.json).toMatchObject({ id: flood.id, kind: 'flood', state: 'active_unacked' })
    expect(retained.msgId).toMatch(/^[0-9a-f-]{36}$/)
    const raised = await eventually(
      async () => seen.events(STORE, 'alarm').find((e) => e.alarm.id === flood.id && e.action === 'raised'),
      15_000,
      'the raised event at the centre',
    )
    expect(raised.msgId).not.toBe(retained.msgId)
    expect(seen.all.some((m) => m.topic === `${PREFIX}/gateway/status` && m.payload === 'online')).toBe(true)
    // what stays in the store: the sirens' commands
    expect(seen.all.some((m) => m.topic.endsWith('/set'))).toBe(false)
    const health = (await api(store.gateway.apiUrl, 'GET', '/healthz', null)).json
    expect(health.central).toMatchObject({ connected: true })
  })

  it(
    'central broker down for a minute, and the gateway killed -9 meanwhile: every alarm event arrives once after dedup',
    async () => {
      const storeDir = restartableDir()
      let store = await start(storeDir)
      await central.stop()
      const outageEnds = Date.now() + OUTAGE_MS

      await store.send('leak-entrance-1', { water_leak: true })
      await store.send('ups-1', { mains_ok: false })
      const flood = await store.alarm('flood')
      const power = await store.alarm('power_outage')
      expect((await store.ack(flood.id)).status).toBe(200)
      await eventually(async () => ((await store.get('/healthz')).central?.queued >= 4 ? true : undefined))

      // no clean stop: what was queued must be on disk already
      await store.stop('SIGKILL')
      running.splice(running.indexOf(store), 1)
      store = await start(storeDir)
      await store.send('smoke-hall-2', { smoke: true })
      const fire = await store.alarm('fire')
      expect((await store.ack(power.id)).status).toBe(200)
      expect((await store.get('/healthz')).central.connected).toBe(false)

      await new Promise((r) => setTimeout(r, Math.max(0, outageEnds - Date.now())))
      await central.start()

      const expected = [
        `raised ${flood.id}`,
        `acked ${flood.id}`,
        `raised ${power.id}`,
        `acked ${power.id}`,
        `raised ${fire.id}`,
      ]
      const alarmEvents = await eventually(
        async () => {
          const events = seen.events(STORE, 'alarm').filter((e) => [flood.id, power.id, fire.id].includes(e.alarm.id))
          const have = new Set(events.map((e) => `${e.action} ${e.alarm.id}`))
          return expected.every((x) => have.has(x)) ? events : undefined
        },
        20_000,
        'the alarm events of the outage at the centre',
      )
      // exactly once after dedup: no event twice under two ids, and none missing
      const keys = alarmEvents.map(alarmEventKey)
      expect(new Set(keys).size).toBe(keys.length)
      const retainedFire = seen.unique().filter((m) => m.topic === `${PREFIX}/alarms/${fire.id}`)
      expect(retainedFire.at(-1)?.json).toMatchObject({ kind: 'fire' })
      await eventually(async () => ((await store.get('/healthz')).central.queued === 0 ? true : undefined))
    },
    OUTAGE_MS + 60_000,
  )

  it('takes acknowledge and shelve from its own command topic, once per command id, and replies', async () => {
    const store = await start()
    const centre = await central.connect('central')
    const results = recordCentral(centre)
    await centre.subscribeAsync(`${PREFIX}/command-results`, { qos: 1 })
    await store.send('leak-entrance-1', { water_leak: true })
    await store.send('ups-1', { mains_ok: false })
    const flood = await store.alarm('flood')
    const power = await store.alarm('power_outage')
    const reply = (commandId: string) =>
      eventually(
        async () => results.unique().find((m) => m.json?.commandId === commandId)?.json,
        15_000,
        `the reply to ${commandId}`,
      )

    const ack = JSON.stringify({ commandId: 'cmd-ack-1', by: 'ops.li', note: 'seen on camera' })
    await centre.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/ack`, ack, { qos: 1 })
    expect(await reply('cmd-ack-1')).toMatchObject({ result: 'done', action: 'ack', alarmId: flood.id })
    const acked = await store.alarm('flood', (a) => a.state === 'active_acked')
    expect(acked.ackedBy).toBe('central:ops.li')

    // the same command again (a QoS 1 redelivery): the first answer, no second acknowledgement
    await centre.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/ack`, ack, { qos: 1 })
    const shelve = { commandId: 'cmd-shelve-1', by: 'ops.li', durationSec: 600, reason: 'UPS swap in progress' }
    await centre.publishAsync(`${PREFIX}/commands/alarms/${power.id}/shelve`, JSON.stringify(shelve), { qos: 1 })
    expect(await reply('cmd-shelve-1')).toMatchObject({ result: 'done' })
    expect(results.unique().filter((m) => m.json?.commandId === 'cmd-ack-1')).toHaveLength(2)
    const history = (await store.get(`/api/alarms/${flood.id}/history`)).history
    expect(history.filter((h: { action: string }) => h.action === 'acked')).toHaveLength(1)
    expect((await store.alarm('power_outage')).shelvedBy).toBe('central:ops.li')

    // bad commands: a clear answer, nothing done
    await centre.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/reset`, ack, { qos: 1 })
    await centre.publishAsync(`${PREFIX}/commands/alarms/nope/ack`, '{"commandId":"cmd-3","by":"x"}', { qos: 1 })
    await centre.publishAsync(`${PREFIX}/commands/alarms/${power.id}/ack`, 'not json', { qos: 1 })
    expect(await reply('cmd-3')).toMatchObject({ result: 'not_found' })
    await eventually(
      async () => (results.unique().filter((m) => m.json?.result === 'invalid').length >= 2 ? true : undefined),
      15_000,
      'two invalid-command replies',
    )
  })

  it('a command sent while the gateway was stopped waits in its session and is done when it is back', async () => {
    const storeDir = restartableDir()
    let store = await start(storeDir)
    const centre = await central.connect('central')
    const results = recordCentral(centre)
    await centre.subscribeAsync(`${PREFIX}/command-results`, { qos: 1 })
    await store.send('leak-entrance-1', { water_leak: true })
    const flood = await store.alarm('flood')
    await store.stop()
    running.splice(running.indexOf(store), 1)

    const ack = JSON.stringify({ commandId: 'cmd-while-away', by: 'ops.wang' })
    await centre.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/ack`, ack, { qos: 1 })
    store = await start(storeDir)
    const reply = await eventually(
      async () => results.unique().find((m) => m.json?.commandId === 'cmd-while-away')?.json,
      10_000,
      'the reply to the command sent while away',
    )
    expect(reply).toMatchObject({ result: 'done', alarmId: flood.id })
    expect((await store.alarm('flood')).ackedBy).toBe('central:ops.wang')
  })

  it('refuses a command on another store’s topic, from the centre or from another store', async () => {
    const store = await start()
    const centre = await central.connect('central')
    const results = recordCentral(centre)
    await centre.subscribeAsync('storeguard/+/command-results', { qos: 1 })
    await store.send('leak-entrance-1', { water_leak: true })
    await store.send('ups-1', { mains_ok: false })
    const flood = await store.alarm('flood')
    const power = await store.alarm('power_outage')

    const command = (commandId: string) => JSON.stringify({ commandId, by: 'mallory' })
    await centre.publishAsync(`storeguard/other-store/commands/alarms/${flood.id}/ack`, command('c-other'), { qos: 1 })
    const otherStore = await central.connect('other-store')
    await otherStore.publishAsync(`${PREFIX}/commands/alarms/${flood.id}/ack`, command('c-forged'), { qos: 1 })
    // a command that does reach us, sent after both: once it is answered, the others had their chance
    await centre.publishAsync(`${PREFIX}/commands/alarms/${power.id}/ack`, command('c-own'), { qos: 1 })
    await eventually(async () => results.unique().find((m) => m.json?.commandId === 'c-own'), 15_000, 'c-own answered')
    expect((await store.alarm('flood')).state).toBe('active_unacked')
    expect(results.unique().map((m) => m.json?.commandId)).toEqual(['c-own'])
    const metrics = (await api(store.gateway.apiUrl, 'GET', '/metrics', SECRETS.viewer)).json as string
    expect(metrics).toMatch(/storeguard_bridge_commands_total\{result="done"\} 1/)
  })
})
