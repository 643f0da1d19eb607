import { connect, type MqttClient } from 'mqtt'
import type { DeviceConfig } from '../../gateway/config/schema.js'
import type { Logger } from '../../gateway/log.js'
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
 * device's normal reports through the broker, as the hardware would, so the
 * gateway runs on a laptop with every protocol path real (SPEC §4).
 */
export function createSimulator(options: SimulatorOptions) {
  const log = options.log.child({ mod: 'simulator' })
  let client: MqttClient | null = null
  let timer: NodeJS.Timeout | null = null
  let tick = 0

  function publishAll(): void {
    const c = client
    if (!c?.connected) return
    for (const device of options.devices) {
      const metrics = DEVICE_TYPE_DEFINITIONS[device.type].simulateNormal(tick)
      for (const m of deviceMessages(device, options.topicPrefix, metrics)) c.publish(m.topic, m.payload, { qos: 0 })
    }
    tick++
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
        publishAll()
      })
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
