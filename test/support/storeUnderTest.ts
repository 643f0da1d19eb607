import { isDeepStrictEqual } from 'node:util'
import type { MqttClient } from 'mqtt'
import { api, eventually } from './api.js'
import { type GatewayProcess, startGatewayProcess } from './gatewayProcess.js'
import { connectClient, nextMessage } from './mqttClient.js'
import { tempDir } from './tempDir.js'
import { PREFIX, SECRETS, testStoreConfig } from './testStore.js'

export interface Recorded {
  readonly topic: string
  readonly payload: string
  readonly retain: boolean
}

/**
 * The built gateway on the test store, with a bridge client that publishes
 * device readings and a consumer that records everything StoreGuard
 * publishes (alarms, notices, events, output commands), for system tests.
 */
export interface StoreUnderTestOptions {
  readonly terminalHeartbeatSec?: number
  /** More `devices:` list items, as YAML lines. */
  readonly extraDevices?: string
  readonly extraYaml?: string
  /** The store's folder (config and journal), for a test that restarts it; kept by `stop`. Default: a new one, removed by `stop`. */
  readonly dir?: ReturnType<typeof tempDir>
  /** Where the journal lives, when not in `dir` (a full or read-only disk under test). */
  readonly dataDir?: string
  /** The journal's memory bound while its disk is down (default: the gateway's). */
  readonly journalMaxPendingWrites?: number
  /** `store.operator`; the test store leaves it out (China Mobile). */
  readonly operator?: string
  /** The store open round the clock (see testStoreConfig). */
  readonly openAllDay?: boolean
  /** More `store:` settings, as YAML lines indented two spaces. */
  readonly storeYaml?: string
}

export async function startStoreUnderTest(options: StoreUnderTestOptions = {}) {
  const dir = options.dir ?? tempDir()
  const gateway: GatewayProcess = await startGatewayProcess(
    dir.path,
    testStoreConfig(options.dataDir ?? dir.path, options) + (options.extraYaml ?? ''),
  )
  const bridge: MqttClient = await connectClient(gateway.mqttUrl, 'bridge', SECRETS.bridge)
  const consumer: MqttClient = await connectClient(gateway.mqttUrl, 'consumer', SECRETS.consumer)
  const recorded: Recorded[] = []
  consumer.on('message', (topic, payload, packet) =>
    recorded.push({ topic, payload: payload.toString(), retain: packet.retain }),
  )
  await consumer.subscribeAsync(
    [`${PREFIX}/alarms/#`, `${PREFIX}/notices/#`, `${PREFIX}/events`, `${PREFIX}/devices/+/set`],
    { qos: 1 },
  )

  let newcomers = 0
  const get = async (path: string, token: string = SECRETS.viewer) =>
    (await api(gateway.apiUrl, 'GET', path, token)).json

  // biome-ignore lint/suspicious/noExplicitAny: system tests read event JSON as it comes off the wire
  const events = (type?: string): any[] =>
    recorded
      .filter((r) => r.topic === `${PREFIX}/events`)
      .map((r) => JSON.parse(r.payload))
      .filter((e) => type === undefined || e.type === type)

  return {
    gateway,
    recorded,
    /** Publishes as the device would, on `<prefix>/devices/<id>/state` (an object) or `/<metric>` (a bare value). */
    async send(deviceId: string, state: Record<string, unknown>): Promise<void> {
      await bridge.publishAsync(`${PREFIX}/devices/${deviceId}/state`, JSON.stringify(state), { qos: 1 })
    },
    async weather(warning: Record<string, unknown>): Promise<void> {
      await bridge.publishAsync(`${PREFIX}/weather`, JSON.stringify(warning), { qos: 1 })
    },
    get,
    post: (path: string, token: string, body?: unknown) => api(gateway.apiUrl, 'POST', path, token, body),
    /**
     * The open alarm for a condition key, once the API has it and the retained
     * MQTT copy on `<prefix>/alarms/<id>` agrees with it (docs/requirements.md#mqtt-topics: both are the contract).
     */
    alarmByKey: (key: string, timeoutMs = 15_000) =>
      eventually(
        async () => {
          const alarm = (await get('/api/alarms', SECRETS.manager)).alarms.find((a: { key: string }) => a.key === key)
          if (!alarm) return undefined
          const last = recorded.filter((r) => r.topic === `${PREFIX}/alarms/${alarm.id}`).at(-1)
          const onMqtt = last && last.payload !== '' ? JSON.parse(last.payload) : undefined
          const fields = ['kind', 'severity', 'state', 'silent', 'latching', 'updatedAt']
          const agree =
            fields.every((f) => onMqtt?.[f] === alarm[f]) && isDeepStrictEqual(onMqtt?.checklist, alarm.checklist)
          return agree ? alarm : undefined
        },
        timeoutMs,
        `${key} in the API and on MQTT`,
      ),
    /** The first open alarm of `kind` (that `pick` accepts), once the API has one. */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read alarm JSON as it comes off the wire
    alarmOfKind: (kind: string, pick: (a: any) => boolean = () => true, timeoutMs = 15_000) =>
      eventually(
        async () =>
          // biome-ignore lint/suspicious/noExplicitAny: as above
          (await get('/api/alarms', SECRETS.manager)).alarms.find((a: any) => a.kind === kind && pick(a)),
        timeoutMs,
        `${kind} alarm`,
      ),
    /** Waits until `probe(open alarms)` is true. */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read alarm JSON as it comes off the wire
    alarmsSatisfy: (probe: (alarms: any[]) => boolean, timeoutMs = 15_000, what = 'alarms') =>
      eventually(
        async () => (probe((await get('/api/alarms', SECRETS.manager)).alarms) ? true : undefined),
        timeoutMs,
        what,
      ),
    /** The latest retained alarm JSON seen on MQTT for an alarm id ('' once removed). */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read alarm JSON as it comes off the wire
    retainedAlarm(id: string): any {
      const last = recorded.filter((r) => r.topic === `${PREFIX}/alarms/${id}`).at(-1)
      return last === undefined ? undefined : last.payload === '' ? '' : JSON.parse(last.payload)
    },
    /**
     * The active notice for a condition key (of `audience`, when given), once the API has it and
     * the MQTT copy on `<prefix>/notices/<id>` agrees with it (docs/requirements.md#mqtt-topics).
     */
    noticeByKey: (key: string, audience?: 'customer' | 'staff', timeoutMs = 15_000) =>
      eventually(
        async () => {
          const query = audience === undefined ? '' : `?audience=${audience}`
          const notice = (await get(`/api/notices${query}`, SECRETS.manager)).notices.find(
            (n: { key: string }) => n.key === key,
          )
          if (!notice) return undefined
          const last = recorded.filter((r) => r.topic === `${PREFIX}/notices/${notice.id}`).at(-1)
          const onMqtt = last && last.payload !== '' ? JSON.parse(last.payload) : undefined
          return isDeepStrictEqual(onMqtt, notice) ? notice : undefined
        },
        timeoutMs,
        `${audience ?? ''} notice ${key} in the API and on MQTT`,
      ),
    /** The latest notice JSON seen on MQTT for a notice id ('' once removed). */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read notice JSON as it comes off the wire
    retainedNotice(id: string): any {
      const last = recorded.filter((r) => r.topic === `${PREFIX}/notices/${id}`).at(-1)
      return last === undefined ? undefined : last.payload === '' ? '' : JSON.parse(last.payload)
    },
    /**
     * What a client subscribing now to `<prefix>/<suffix>` is handed by the broker: the retained
     * message with its retain flag (a live subscriber never sees the flag: MQTT 3.1.1 clears it),
     * or undefined when nothing came within `waitMs` — all it takes once the removal was seen live.
     */
    async retainedForNewcomer(
      suffix: string,
      waitMs = 5000,
    ): Promise<{ retain: boolean; payload: string } | undefined> {
      const newcomer = await connectClient(gateway.mqttUrl, 'consumer', SECRETS.consumer, {
        clientId: `newcomer-${process.pid}-${++newcomers}`,
      })
      try {
        const message = nextMessage(newcomer, `${PREFIX}/${suffix}`, () => true, waitMs).catch(() => undefined)
        await newcomer.subscribeAsync(`${PREFIX}/${suffix}`, { qos: 1 })
        const got = await message
        return got === undefined ? undefined : { retain: got.retain, payload: got.payload.toString() }
      } finally {
        await newcomer.endAsync()
      }
    },
    /** Every output command seen on `<prefix>/devices/<id>/set`. */
    outputs: () =>
      recorded.filter((r) => r.topic.endsWith('/set')).map((r) => `${r.topic.split('/').at(-2)}:${r.payload}`),
    events,
    /**
     * The events of `type` selected by `pick`, once there are at least `count`: the API answers
     * before the events reach this subscriber over MQTT, so a test that waited on the API waits here too.
     */
    // biome-ignore lint/suspicious/noExplicitAny: system tests read event JSON as it comes off the wire
    eventsUntil: (type: string, pick: (e: any) => boolean, count: number, what = `${count} ${type} events`) =>
      eventually(
        async () => {
          const found = events(type).filter(pick)
          return found.length >= count ? found : undefined
        },
        15_000,
        what,
      ),
    /** `SIGKILL` for a crash: whatever the journal has, the next start finds. */
    async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
      await bridge.endAsync()
      await consumer.endAsync()
      await gateway.kill(signal)
      if (!options.dir) dir.remove()
    },
  }
}

export type StoreUnderTest = Awaited<ReturnType<typeof startStoreUnderTest>>
