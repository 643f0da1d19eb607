import type { DeviceConfig, PayloadFormat } from '../deviceSchema.js'

/** Where a message on a device topic should go, and how to decode it. */
export interface RoutedTopic {
  readonly device: DeviceConfig
  readonly format: PayloadFormat
  /** For `bare`: the metric named by the last topic level. */
  readonly metric: string | null
}

export type RouteResult =
  | { readonly ok: true; readonly route: RoutedTopic }
  /** `<prefix>/devices/<id>/set`: an output command, the gateway's own or a console's; not a reading. */
  | { readonly ok: false; readonly reason: 'command'; readonly detail: string }
  | { readonly ok: false; readonly reason: 'unknown_device' | 'unknown_topic'; readonly detail: string }

/**
 * Maps the inbound topics (docs/requirements.md#mqtt-topics) to devices, with exact-match maps built once at
 * load so the hot path is two Map look-ups:
 * - `<prefix>/devices/<id>/state` → JSON object of metrics (or zigbee2mqtt if configured);
 * - `<prefix>/devices/<id>/<metric>` → a bare value;
 * - a device's own `mqtt.topic` (e.g. `zigbee2mqtt/smoke_hall_1`) → its configured format.
 */
export function createTopicRouter(topicPrefix: string, devices: readonly DeviceConfig[]) {
  const byId = new Map(devices.map((d) => [d.id, d]))
  const byTopic = new Map(devices.filter((d) => d.mqtt.topic !== undefined).map((d) => [d.mqtt.topic as string, d]))
  const devicePrefix = `${topicPrefix}/devices/`

  const filters = [`${devicePrefix}+/+`, ...byTopic.keys()]

  function route(topic: string): RouteResult {
    const custom = byTopic.get(topic)
    if (custom) {
      const format = custom.mqtt.format ?? 'zigbee2mqtt'
      const metric = format === 'bare' ? (topic.split('/').pop() ?? null) : null
      return { ok: true, route: { device: custom, format, metric } }
    }
    if (!topic.startsWith(devicePrefix)) return { ok: false, reason: 'unknown_topic', detail: topic }
    const rest = topic.slice(devicePrefix.length)
    const slash = rest.indexOf('/')
    if (slash <= 0 || rest.indexOf('/', slash + 1) !== -1) return { ok: false, reason: 'unknown_topic', detail: topic }
    const deviceId = rest.slice(0, slash)
    const leaf = rest.slice(slash + 1)
    const device = byId.get(deviceId)
    if (!device) return { ok: false, reason: 'unknown_device', detail: deviceId }
    if (leaf === 'set') return { ok: false, reason: 'command', detail: topic }
    if (leaf === 'state') {
      const format = device.mqtt.format === 'zigbee2mqtt' ? 'zigbee2mqtt' : 'json'
      return { ok: true, route: { device, format, metric: null } }
    }
    return { ok: true, route: { device, format: 'bare', metric: leaf } }
  }

  return { route, filters }
}

export type TopicRouter = ReturnType<typeof createTopicRouter>
