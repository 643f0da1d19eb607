import type { DeviceConfig } from '../../devices/deviceSchema.js'
import type { LocalizedText } from '../core/alarm.js'
import { type ZoneNames, zoneName } from '../core/zoneNames.js'
import { type MetricEntity, metricEntities } from './entityCatalog.js'
import { type StateTopics, SUMMARY_KINDS, stateTopics } from './stateTopics.js'

/** What the discovery is built from: the parts of the config it reads, and nothing it has to ask for. */
export interface DiscoverySetup {
  readonly discoveryPrefix: string
  readonly topicPrefix: string
  readonly store: { readonly id: string; readonly name: string; readonly locale: keyof LocalizedText }
  readonly devices: readonly Pick<DeviceConfig, 'id' | 'type' | 'zone' | 'name'>[]
  readonly zoneNames: ZoneNames
  readonly swVersion: string
}

/** One retained discovery message: `<discoveryPrefix>/<component>/<node_id>/<object_id>/config`. */
export interface DiscoveryMessage {
  readonly topic: string
  readonly payload: Readonly<Record<string, unknown>>
}

type Payload = Record<string, unknown>

/**
 * Every discovery message for a store (docs/home-assistant.md#entities): one HA
 * device for the gateway with the alarm summary, and one per physical device
 * with its readings, its connection and its fault. Pure, so a reload or a
 * restart computes the same topics and payloads from the same config.
 */
export function discoveryMessages(setup: DiscoverySetup): DiscoveryMessage[] {
  const topics = stateTopics(setup.topicPrefix)
  const node = `storeguard_${setup.store.id}`
  const origin = { name: 'StoreGuard', sw_version: setup.swVersion }
  const message = (component: string, objectId: string, payload: Payload): DiscoveryMessage => ({
    topic: `${setup.discoveryPrefix}/${component}/${node}/${objectId}/config`,
    payload: { ...payload, unique_id: `${node}_${objectId}`, origin },
  })
  return [
    ...storeMessages(setup, topics, node, message),
    ...setup.devices.flatMap((device) => deviceMessages(setup, topics, node, device, message)),
  ]
}

type MessageOf = (component: string, objectId: string, payload: Payload) => DiscoveryMessage

/** The gateway as an HA device: its own connection and the open alarms by kind. */
function storeMessages(setup: DiscoverySetup, topics: StateTopics, node: string, message: MessageOf) {
  const device = {
    identifiers: [node],
    name: `StoreGuard ${setup.store.name}`,
    manufacturer: 'StoreGuard',
    model: 'Store-safety gateway',
    sw_version: setup.swVersion,
  }
  const gatewayOnly = [gatewayAvailability(topics)]
  const counts = [...SUMMARY_KINDS, 'total'].map((kind) =>
    message('sensor', `alarms_${kind}`, {
      name: kind === 'total' ? 'Open alarms' : `Open ${kind.replace(/_/g, ' ')} alarms`,
      state_topic: topics.alarmSummary,
      value_template: `{{ value_json.${kind} }}`,
      state_class: 'measurement',
      availability: gatewayOnly,
      device,
    }),
  )
  return [
    // no availability of its own: it is the gateway's availability, and shows `off` when the gateway is gone
    message('binary_sensor', 'gateway_status', {
      name: 'Gateway',
      state_topic: topics.gatewayStatus,
      payload_on: 'online',
      payload_off: 'offline',
      device_class: 'connectivity',
      entity_category: 'diagnostic',
      device,
    }),
    ...counts,
  ]
}

/** One physical device: its readings (unavailable while it or the gateway is), its connection and its fault. */
function deviceMessages(
  setup: DiscoverySetup,
  topics: StateTopics,
  node: string,
  config: DiscoverySetup['devices'][number],
  message: MessageOf,
): DiscoveryMessage[] {
  const entities = metricEntities(config.type)
  if (entities.length === 0) return []
  const device = {
    identifiers: [`${node}_${config.id}`],
    name: config.name ?? config.id,
    manufacturer: 'StoreGuard',
    model: config.type,
    suggested_area: zoneName(setup.zoneNames, config.zone)[setup.store.locale],
    via_device: node,
  }
  const gatewayOnly = [gatewayAvailability(topics)]
  const both = [...gatewayOnly, { topic: topics.availability(config.id), ...ONLINE_OFFLINE }]
  const readings = entities.map((entity) =>
    message(entity.component, `${config.id}_${entity.metric}`, {
      ...metricPayload(entity),
      state_topic: topics.value(config.id, entity.metric),
      availability: both,
      availability_mode: 'all',
      device,
    }),
  )
  return [...readings, ...healthMessages(topics, config.id, device, gatewayOnly, message)]
}

/** A device's connection and fault: they depend on the gateway only, and matter most while the device is gone. */
function healthMessages(
  topics: StateTopics,
  id: string,
  device: Payload,
  availability: readonly Payload[],
  message: MessageOf,
): DiscoveryMessage[] {
  const common = { entity_category: 'diagnostic', availability, device }
  return [
    message('binary_sensor', `${id}_connectivity`, {
      name: 'Connection',
      state_topic: topics.availability(id),
      payload_on: 'online',
      payload_off: 'offline',
      device_class: 'connectivity',
      ...common,
    }),
    message('binary_sensor', `${id}_fault`, {
      name: 'Fault',
      state_topic: topics.fault(id),
      payload_on: 'true',
      payload_off: 'false',
      device_class: 'problem',
      ...common,
    }),
  ]
}

const ONLINE_OFFLINE = { payload_available: 'online', payload_not_available: 'offline' } as const

/** The gateway's last will (docs/requirements.md#mqtt-topics): nothing it publishes is current once it is offline. */
function gatewayAvailability(topics: StateTopics) {
  return { topic: topics.gatewayStatus, ...ONLINE_OFFLINE }
}

function metricPayload(entity: MetricEntity): Payload {
  const on = entity.onWhen ?? true
  return {
    name: entity.name,
    ...(entity.deviceClass === undefined ? {} : { device_class: entity.deviceClass }),
    ...(entity.unit === undefined ? {} : { unit_of_measurement: entity.unit }),
    ...(entity.stateClass === undefined ? {} : { state_class: entity.stateClass }),
    ...(entity.diagnostic ? { entity_category: 'diagnostic' } : {}),
    ...(entity.component === 'binary_sensor' ? { payload_on: String(on), payload_off: String(!on) } : {}),
  }
}
