import { describe, expect, it } from 'vitest'
import type { DeviceConfig } from '../deviceSchema.js'
import { createTopicRouter, type RouteResult } from './topicRouter.js'

const PREFIX = 'storeguard/store-7'

const DEVICES: DeviceConfig[] = [
  {
    id: 'smoke-hall-1',
    type: 'smoke',
    zone: 'hall',
    mqtt: { topic: 'zigbee2mqtt/smoke_hall_1', format: 'zigbee2mqtt' },
  },
  { id: 'leak-back-1', type: 'leak', zone: 'backroom', mqtt: { topic: 'zigbee2mqtt/leak_back_1' } },
  { id: 'terminal-1', type: 'terminal', zone: 'self-service', mqtt: { format: 'json' } },
  { id: 'smoke-z2m-2', type: 'smoke', zone: 'hall', mqtt: { format: 'zigbee2mqtt' } },
  { id: 'panic-1', type: 'panic_button', zone: 'counter', mqtt: { topic: 'shelly/panic-1/input/0', format: 'bare' } },
  { id: 'door-1', type: 'door', zone: 'hall', mqtt: {} },
]

const router = createTopicRouter(PREFIX, DEVICES)

/** The device id, format and metric a topic routes to, or the reason it does not. */
function where(topic: string): { deviceId: string; format: string; metric: string | null } | { rejected: string } {
  const result: RouteResult = router.route(topic)
  if (!result.ok) return { rejected: result.reason }
  return { deviceId: result.route.device.id, format: result.route.format, metric: result.route.metric }
}

describe('routing inbound MQTT topics to devices', () => {
  it('routes <prefix>/devices/<id>/state to the device as a JSON object of metrics', () => {
    expect(where(`${PREFIX}/devices/terminal-1/state`)).toEqual({
      deviceId: 'terminal-1',
      format: 'json',
      metric: null,
    })
    expect(where(`${PREFIX}/devices/door-1/state`)).toEqual({ deviceId: 'door-1', format: 'json', metric: null })
  })

  it('decodes a zigbee2mqtt-configured device’s state topic as zigbee2mqtt', () => {
    expect(where(`${PREFIX}/devices/smoke-z2m-2/state`)).toEqual({
      deviceId: 'smoke-z2m-2',
      format: 'zigbee2mqtt',
      metric: null,
    })
  })

  it('routes <prefix>/devices/<id>/<metric> as a bare value of that metric', () => {
    expect(where(`${PREFIX}/devices/door-1/contact`)).toEqual({ deviceId: 'door-1', format: 'bare', metric: 'contact' })
    expect(where(`${PREFIX}/devices/smoke-hall-1/smoke`)).toEqual({
      deviceId: 'smoke-hall-1',
      format: 'bare',
      metric: 'smoke',
    })
  })

  it('routes a device’s own topic (zigbee2mqtt/<name>) with its configured format', () => {
    expect(where('zigbee2mqtt/smoke_hall_1')).toEqual({ deviceId: 'smoke-hall-1', format: 'zigbee2mqtt', metric: null })
  })

  it('treats a device’s own topic as zigbee2mqtt when no format is configured', () => {
    expect(where('zigbee2mqtt/leak_back_1')).toEqual({ deviceId: 'leak-back-1', format: 'zigbee2mqtt', metric: null })
  })

  it('takes the metric of a bare custom topic from its last level', () => {
    expect(where('shelly/panic-1/input/0')).toEqual({ deviceId: 'panic-1', format: 'bare', metric: '0' })
  })

  it('reports a device id nobody configured as unknown_device', () => {
    expect(where(`${PREFIX}/devices/smoke-ghost/state`)).toEqual({ rejected: 'unknown_device' })
    expect(where(`${PREFIX}/devices/smoke-ghost/smoke`)).toEqual({ rejected: 'unknown_device' })
  })

  it('names the unknown device in the detail', () => {
    const result = router.route(`${PREFIX}/devices/smoke-ghost/state`)
    expect(!result.ok && result.detail).toBe('smoke-ghost')
  })

  it('reports extra or missing topic levels as unknown_topic', () => {
    expect(where(`${PREFIX}/devices/door-1/state/extra`)).toEqual({ rejected: 'unknown_topic' })
    expect(where(`${PREFIX}/devices/door-1`)).toEqual({ rejected: 'unknown_topic' })
    expect(where(`${PREFIX}/devices//state`)).toEqual({ rejected: 'unknown_topic' })
  })

  it('reports topics outside this store’s device prefix as unknown_topic', () => {
    expect(where('storeguard/other-store/devices/door-1/state')).toEqual({ rejected: 'unknown_topic' })
    expect(where('zigbee2mqtt/someone_elses_sensor')).toEqual({ rejected: 'unknown_topic' })
    expect(where(`${PREFIX}/weather`)).toEqual({ rejected: 'unknown_topic' })
  })

  it('subscribes to every device topic under the prefix and to each configured custom topic', () => {
    expect([...router.filters].sort()).toEqual(
      [`${PREFIX}/devices/+/+`, 'zigbee2mqtt/smoke_hall_1', 'zigbee2mqtt/leak_back_1', 'shelly/panic-1/input/0'].sort(),
    )
  })

  it('uses a custom topic prefix when one is configured', () => {
    const custom = createTopicRouter('acme/shop-12', DEVICES)
    expect(custom.route('acme/shop-12/devices/door-1/state')).toMatchObject({ ok: true, route: { format: 'json' } })
    expect(custom.route(`${PREFIX}/devices/door-1/state`)).toMatchObject({ ok: false, reason: 'unknown_topic' })
  })
})
