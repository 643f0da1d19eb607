import type { MqttBus } from '../bus/mqttBus.js'
import type { Alarm } from '../core/alarm.js'
import type { Reading } from '../core/reading.js'
import { alarmSummary, deviceHealth, type StateTopics, valuePayload } from './stateTopics.js'

/** Announced devices and, per device, the metrics HA has an entity for. */
export type Announced = ReadonlyMap<string, ReadonlySet<string>>

/**
 * The retained state topics HA reads (stateTopics.ts), each published only
 * when it changes. Readings are collected and published on a later turn of the
 * event loop: the reading event fires on the hot path (docs/design.md#hot-path),
 * and a Modbus poll's many readings of one device go out together.
 */
export function createStatePublisher(options: {
  readonly bus: Pick<MqttBus, 'publish'>
  readonly openAlarms: () => Iterable<Alarm>
  /** Called with each state topic before its first publish, so a later config can clear it. */
  readonly remember: (topic: string) => void
}) {
  const { bus, openAlarms } = options
  const last = new Map<string, string>()
  const pending = new Map<string, string>()
  let flushing: NodeJS.Immediate | null = null
  let topics: StateTopics | null = null
  let announced: Announced = new Map()

  const publish = (topic: string, payload: string) => {
    if (last.get(topic) === payload) return
    if (!last.has(topic)) options.remember(topic)
    last.set(topic, payload)
    bus.publish(topic, payload, { retain: true, qos: 1 })
  }
  const flush = () => {
    flushing = null
    for (const [topic, payload] of pending) publish(topic, payload)
    pending.clear()
  }
  const health = (deviceId: string) => {
    if (topics === null || !announced.has(deviceId)) return
    const { available, fault } = deviceHealth(openAlarms(), deviceId)
    publish(topics.availability(deviceId), available ? 'online' : 'offline')
    publish(topics.fault(deviceId), String(fault))
  }
  const summary = () => {
    if (topics !== null) publish(topics.alarmSummary, JSON.stringify(alarmSummary(openAlarms())))
  }

  return {
    /** Starts, or takes a reloaded config: whatever changed for it is published. */
    reset(next: StateTopics, devices: Announced): void {
      topics = next
      announced = devices
      summary()
      for (const id of devices.keys()) health(id)
    },
    /** Every state as last published, again: for an HA that has just started (its birth message). */
    republish(): void {
      for (const [topic, payload] of last) bus.publish(topic, payload, { retain: true, qos: 1 })
    },
    /** Topics cleared because their device left the config: published afresh should it come back. */
    forget(cleared: Iterable<string>): void {
      for (const topic of cleared) last.delete(topic)
    },
    /** Stops publishing; readings not yet flushed are dropped, as the gateway is going. */
    stop(): void {
      topics = null
      if (flushing) clearImmediate(flushing)
      flushing = null
      pending.clear()
    },
    reading(reading: Reading): void {
      if (topics === null || announced.get(reading.deviceId)?.has(reading.metric) !== true) return
      pending.set(topics.value(reading.deviceId, reading.metric), valuePayload(reading.value))
      flushing ??= setImmediate(flush)
    },
    /** Any alarm change may change the summary; a device fault may change its device's health. */
    alarm(alarm: Alarm): void {
      summary()
      if (alarm.kind === 'device_fault') health(alarm.deviceId)
    },
  }
}

export type StatePublisher = ReturnType<typeof createStatePublisher>
