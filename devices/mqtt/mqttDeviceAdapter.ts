import type { Clock } from '../../gateway/core/clock.js'
import type { ReadingValue } from '../../gateway/core/reading.js'
import type { AdapterOutput, DeviceAdapter, MqttMessageSource } from '../adapter.js'
import { decodeMessage } from '../decoders/decodeMessage.js'
import type { DecodeResult, RejectReason } from '../decoders/decodeResult.js'
import type { DeviceConfig } from '../deviceSchema.js'
import type { MetricKind } from '../types/deviceTypeDefinition.js'
import { DEVICE_TYPE_DEFINITIONS } from '../types/registry.js'
import { availabilityTopics, parseAvailability } from './availability.js'
import { createTopicRouter } from './topicRouter.js'

export interface MqttDeviceAdapterOptions {
  readonly store: string
  readonly topicPrefix: string
  readonly devices: readonly DeviceConfig[]
  readonly source: MqttMessageSource
  readonly output: AdapterOutput
  /** docs/requirements.md#bad-input: oversized messages are rejected, counted and logged. */
  readonly maxPayloadBytes: number
  readonly clock: Clock
}

/**
 * Turns MQTT device messages into Readings. Everything here is synchronous:
 * Hot path (docs/design.md#hot-path), no awaits between the wire and the rule engine.
 */
export function createMqttDeviceAdapter(options: MqttDeviceAdapterOptions): DeviceAdapter {
  const { store, source, output, maxPayloadBytes, clock } = options
  let router = createTopicRouter(options.topicPrefix, options.devices)
  let availability = availabilityTopics(options.devices)
  let filters = [...router.filters, ...availability.keys()]
  /** The last availability said per device, so only changes reach the engine. */
  const lastSaid = new Map<string, boolean>()

  function onAvailability(deviceId: string, topic: string, payload: Buffer): void {
    // an empty retained message is zigbee2mqtt forgetting a removed device: nothing said
    if (payload.length === 0) return
    if (payload.length > maxPayloadBytes) {
      output.rejected('oversized', { topic, deviceId, detail: `${payload.length} bytes > ${maxPayloadBytes}` })
      return
    }
    const status = parseAvailability(payload)
    if (status === null) {
      output.rejected('wrong_type', { topic, deviceId, detail: 'availability must be online or offline' })
      return
    }
    if (lastSaid.get(deviceId) === status.ok) return
    lastSaid.set(deviceId, status.ok)
    output.commStatus(deviceId, status)
  }

  function onMessage(topic: string, payload: Buffer): void {
    const routed = router.route(topic)
    if (!routed.ok) {
      if (routed.reason === 'command') return
      // looked up only off the hot path: an availability topic is no reading topic
      const available = availability.get(topic)
      if (available) onAvailability(available.id, topic, payload)
      else output.rejected(routed.reason, { topic, detail: routed.detail })
      return
    }
    const { device, format, metric } = routed.route
    if (payload.length > maxPayloadBytes) {
      output.rejected('oversized', {
        topic,
        deviceId: device.id,
        detail: `${payload.length} bytes > ${maxPayloadBytes}`,
      })
      return
    }
    const decoded = decodeMessage(format, payload, metric)
    if (!decoded.ok) {
      output.rejected(decoded.reason, { topic, deviceId: device.id, detail: decoded.detail })
      return
    }
    emitReadings(device, decoded, topic, format === 'bare')
  }

  /**
   * Each field of a message on its own: the good ones become readings, each
   * bad one is counted under its reason. Keys the device type does not define
   * are extra (zigbee2mqtt and JSON devices send plenty) and ignored whatever
   * their value; a message with nothing but such keys is counted once, as
   * `unknown_metric`, so a device sending the wrong names is not silently deaf.
   */
  function emitReadings(
    device: DeviceConfig,
    decoded: DecodeResult & { ok: true },
    topic: string,
    namedOnPurpose: boolean,
  ): void {
    const definition = DEVICE_TYPE_DEFINITIONS[device.type].metrics
    // own keys only: a metric named `constructor` or `toString` is not on Object.prototype's say-so
    const known = (metric: string) => (Object.hasOwn(definition, metric) ? definition[metric] : undefined)
    const reject = (reason: RejectReason, detail: string) =>
      output.rejected(reason, { topic, deviceId: device.id, detail })
    const ts = clock.now()
    let anyKnown = false
    for (const { metric, value } of decoded.metrics) {
      const expected = known(metric)
      if (expected === undefined) {
        // only a bare topic names a metric on purpose
        if (namedOnPurpose) reject('unknown_metric', metric)
        continue
      }
      anyKnown = true
      const typed = coerce(value, expected.kind)
      if (typed === undefined) {
        reject('wrong_type', `${metric} must be a ${expected.kind}`)
        continue
      }
      output.reading({
        store,
        deviceId: device.id,
        deviceType: device.type,
        zone: device.zone,
        metric,
        value: typed,
        ts,
        quality: 'good',
      })
    }
    // after the readings: a fire in the same message reaches the engine before any log line is written
    for (const field of decoded.invalid) {
      if (known(field.metric) === undefined) continue
      anyKnown = true
      reject(field.reason, field.detail)
    }
    if (anyKnown || namedOnPurpose) return
    const fields = [...decoded.metrics, ...decoded.invalid].map((f) => f.metric)
    if (fields.length > 0) reject('unknown_metric', `no ${device.type} metric among ${fields.slice(0, 5).join(', ')}`)
  }

  // stop() may come twice (shutdown after a failed start): unsubscribe once
  let subscribed = false
  return {
    name: 'mqtt',
    start: async () => {
      await source.subscribe(filters, onMessage)
      subscribed = true
    },
    stop: async () => {
      if (!subscribed) return
      subscribed = false
      await source.unsubscribe(filters)
    },
    // The routes are swapped in one step, so a message is routed by the old list or the new,
    // never half of each; then only the topics that came or went are (un)subscribed.
    reload: async (devices) => {
      const before = filters
      router = createTopicRouter(options.topicPrefix, devices)
      availability = availabilityTopics(devices)
      filters = [...router.filters, ...availability.keys()]
      const ids = new Set(devices.map((d) => d.id))
      for (const id of lastSaid.keys()) if (!ids.has(id)) lastSaid.delete(id)
      if (!subscribed) return
      const added = filters.filter((f) => !before.includes(f))
      const gone = before.filter((f) => !filters.includes(f))
      if (gone.length > 0) await source.unsubscribe(gone)
      if (added.length > 0) await source.subscribe(added, onMessage)
    },
  }
}

/** Devices say `1`/`0` for on/off as often as `true`/`false`; nothing else is guessed. */
function coerce(value: ReadingValue, kind: MetricKind): ReadingValue | undefined {
  if (typeof value === kind) return value
  if (kind === 'boolean' && (value === 0 || value === 1)) return value === 1
  return undefined
}
