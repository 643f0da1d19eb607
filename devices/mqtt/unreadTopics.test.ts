import { describe, expect, it } from 'vitest'
import type { DeviceConfig } from '../deviceSchema.js'
import { createUnreadTopicClassifier } from './unreadTopics.js'

const DEVICES: DeviceConfig[] = [
  { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: { topic: 'zigbee2mqtt/smoke_1', format: 'zigbee2mqtt' } },
  { id: 'door-1', type: 'door', zone: 'hall', mqtt: {} },
]
const classify = createUnreadTopicClassifier('storeguard/s1', DEVICES)

describe('messages on topics the gateway does not read', () => {
  it('are foreign outside every device topic and the gateway prefix', () => {
    expect(classify('elsewhere/x')).toBe('foreign_topic')
    expect(classify('zigbee2mqtt-2/bridge/state')).toBe('foreign_topic')
    expect(classify('storeguard/s2/devices/door-1/state')).toBe('foreign_topic')
    expect(classify('storeguard/s1')).toBe('foreign_topic')
  })

  it('are unknown topics inside the gateway prefix', () => {
    expect(classify('storeguard/s1/devices/door-1/cmd/open')).toBe('unknown_topic')
    expect(classify('storeguard/s1/whatever')).toBe('unknown_topic')
  })

  it('are not counted when they are the status of a zigbee2mqtt bridge a device reads through', () => {
    expect(classify('zigbee2mqtt/bridge/state')).toBeNull()
    expect(classify('zigbee2mqtt/bridge/logging')).toBeNull()
    const jsonOnly = createUnreadTopicClassifier('storeguard/s1', [
      { id: 'smoke-1', type: 'smoke', zone: 'hall', mqtt: { topic: 'vendor/smoke_1', format: 'json' } },
    ])
    expect(jsonOnly('vendor/bridge/state')).toBe('foreign_topic')
  })

  it('are not counted when they are a device availability topic', () => {
    expect(classify('zigbee2mqtt/smoke_1/availability')).toBeNull()
    expect(classify('zigbee2mqtt/other/availability')).toBe('foreign_topic')
  })
})
