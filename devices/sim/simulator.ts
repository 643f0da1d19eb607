import { connect, type MqttClient } from 'mqtt'
import type { Logger } from '../../gateway/core/logger.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import { decodeMessage } from '../decoders/decodeMessage.js'
import type { DeviceConfig } from '../deviceSchema.js'
import { createTopicRouter } from '../mqtt/topicRouter.js'
import { DEVICE_TYPE_DEFINITIONS } from '../types/registry.js'
import { deviceMessages } from './deviceMessages.js'

export interface SimulatorOptions {
  readonly url: string
  readonly username: string
  readonly password: string
  readonly topicPrefix: string
  readonly devices: readonly DeviceConfig[]
  readonly intervalSec: number
  readonly log: Logger
}

/**
 * Simulated devices for the demo store: an MQTT client that publishes each
 * device's reports through the broker, as the hardware would, so the gateway
 * runs on a laptop with every protocol path real (docs/requirements.md#simulation).
 *
 * The devices keep state like real ones: what `storeguard simulate` publishes
 * for a device (smoke, a fault, a power cut) sticks until `simulate normal`,
 * and a siren or strobe switched by the gateway (`…/set`) reports its new state.
 */
export function createSimulator(options: SimulatorOptions) {
  const log = options.log.child({ mod: 'simulator' })
  const router = createTopicRouter(options.topicPrefix, options.devices)
  const held = new Map<string, Record<string, ReadingValue>>()
  const lastSent = new Map<string, string>()
  let client: MqttClient | null = null
  let timer: NodeJS.Timeout | null = null
  let tick = 0

  function publishDevice(device: DeviceConfig): void {
    const metrics = { ...DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(tick), ...held.get(device.id) }
    for (const m of deviceMessages(device, options.topicPrefix, metrics)) {
      lastSent.set(m.topic, m.payload)
      client?.publish(m.topic, m.payload, { qos: 0 })
    }
  }

  function publishAll(): void {
    if (!client?.connected) return
    for (const device of options.devices) publishDevice(device)
    tick++
  }

  /** Someone else spoke for a device (a scenario), or the gateway commanded it: hold that state. */
  function onMessage(topic: string, payload: Buffer): void {
    const command = topic.endsWith('/set')
    if (!command && lastSent.get(topic) === payload.toString()) return // our own report, echoed
    const base = command ? commandBase(topic) : topic
    const routed = router.route(base)
    if (!routed.ok) return
    const { device, format, metric } = routed.route
    const decoded = decodeMessage(command ? 'json' : format, payload, metric)
    if (!decoded.ok) return
    const state = held.get(device.id) ?? {}
    for (const m of decoded.metrics) state[m.metric] = m.value
    held.set(device.id, state)
    if (command) publishDevice(device)
  }

  /** `<prefix>/devices/<id>/set` → `<prefix>/devices/<id>/state`; `zigbee2mqtt/x/set` → `zigbee2mqtt/x`. */
  function commandBase(topic: string): string {
    const base = topic.slice(0, -'/set'.length)
    return base.startsWith(`${options.topicPrefix}/devices/`) ? `${base}/state` : base
  }

  return {
    start(): void {
      client = connect(options.url, {
        username: options.username,
        password: options.password,
        clientId: `storeguard-simulator-${process.pid}`,
        reconnectPeriod: 2000,
      })
      client.on('connect', () => {
        log.info({ devices: options.devices.length }, 'simulator connected')
        const setTopics = router.filters.map((f) => (f.endsWith('/+/+') ? f.replace(/\+$/, 'set') : `${f}/set`))
        client?.subscribe([...router.filters, ...setTopics], { qos: 0 })
        publishAll()
      })
      client.on('message', onMessage)
      client.on('error', (err) => log.warn({ err: err.message }, 'simulator connection failed'))
      timer = setInterval(publishAll, options.intervalSec * 1000)
      timer.unref()
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      await client?.endAsync(true)
      client = null
    },
  }
}
