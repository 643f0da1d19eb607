import { hashSecret } from '../../gateway/security/secretHash.js'

/** Plain secrets of the test store; the config gets only their hashes. */
export const SECRETS = {
  viewer: 'viewer-token-3f9a',
  staff: 'staff-token-77c1',
  maintenance: 'maintenance-token-6d1f',
  manager: 'manager-token-b2e0',
  zigbee2mqtt: 'z2m-password-19ab',
  consumer: 'consumer-password-5d2c',
  bridge: 'bridge-password-c4d1',
  smokeHall2: 'smoke-hall-2-password-a0',
  waterLevel: 'water-level-password-4e',
  homeAssistant: 'home-assistant-password-7b',
} as const

export const STORE = 'test-store'
export const PREFIX = `storeguard/${STORE}`

let cached: Record<keyof typeof SECRETS, string> | undefined
function hashes(): Record<keyof typeof SECRETS, string> {
  cached ??= Object.fromEntries(Object.entries(SECRETS).map(([k, v]) => [k, hashSecret(v)])) as Record<
    keyof typeof SECRETS,
    string
  >
  return cached
}

/**
 * A small store on loopback with free ports: two smoke detectors (one behind
 * zigbee2mqtt, one with its own MQTT login), a water-level sensor with its
 * own login, one device of every other kind, a zigbee2mqtt bridge, a generic
 * bridge that may publish for any device and the weather, a consumer
 * allowed to read alarms, notices, events and output commands, and a Home
 * Assistant allowed its discovery and the state topics it reads. Hold and
 * settle times are seconds, so tests do not wait for minutes; the terminal's
 * heartbeat is an hour unless a test asks for less. `extraDevices` are more
 * `devices:` list items, as YAML lines.
 */
export function testStoreConfig(
  dataDir: string,
  options: {
    terminalHeartbeatSec?: number
    extraDevices?: string
    journalMaxPendingWrites?: number
    operator?: string
    /** Open round the clock, so a repair ticket's business clock runs whatever the hour the test runs at. */
    openAllDay?: boolean
    /** More `store:` settings, as YAML lines indented two spaces. */
    storeYaml?: string
  } = {},
): string {
  const h = hashes()
  const allDay = "[{ open: '00:00', close: '24:00' }]"
  const openAllDay = options.openAllDay
    ? `\n  businessHours: { ${['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => `${d}: ${allDay}`).join(', ')} }`
    : ''
  return `
store:
  id: ${STORE}
  name: Test store
  timeZone: Asia/Shanghai
  locale: en${options.operator === undefined ? '' : `\n  operator: ${options.operator}`}${openAllDay}
${options.storeYaml ?? ''}broker:
  host: 127.0.0.1
  port: 0
  maxPayloadBytes: 4096
  forbiddenBackoffSec: 30
  clients:
    - username: zigbee2mqtt
      passwordHash: ${h.zigbee2mqtt}
      publish: [zigbee2mqtt/#]
    - username: bridge
      passwordHash: ${h.bridge}
      publish: [${PREFIX}/devices/#, ${PREFIX}/weather]
    - username: consumer
      passwordHash: ${h.consumer}
      subscribe: [${PREFIX}/alarms/#, ${PREFIX}/events, ${PREFIX}/gateway/#, ${PREFIX}/notices/#, ${PREFIX}/devices/+/set]
    - username: homeassistant
      passwordHash: ${h.homeAssistant}
      publish: [homeassistant/status]
      subscribe: [homeassistant/#, ${PREFIX}/state/#, ${PREFIX}/gateway/#]
devices:
  - id: smoke-hall-1
    type: smoke
    zone: hall
    name: Hall smoke 1
    mqtt: { topic: zigbee2mqtt/smoke_hall_1, format: zigbee2mqtt }
  - id: smoke-hall-2
    type: smoke
    zone: hall
    mqtt: { passwordHash: ${h.smokeHall2} }
  - id: water-level-1
    type: water_level
    zone: entrance
    mqtt: { passwordHash: ${h.waterLevel} }
  - { id: heat-back-1, type: heat, zone: backroom }
  - { id: leak-entrance-1, type: leak, zone: entrance }
  - { id: panic-counter-1, type: panic_button, zone: counter }
  - { id: terminal-1, type: terminal, zone: self-service, name: Terminal 1, heartbeatSec: ${options.terminalHeartbeatSec ?? 3600} }
  - { id: ups-1, type: power, zone: backroom }
  - { id: business-system, type: business_system, zone: counter, heartbeatSec: 3600 }
  - { id: siren-1, type: siren, zone: hall }
  - { id: strobe-1, type: strobe, zone: hall }
${options.extraDevices ?? ''}rules:
  flood: { warningCm: 2, criticalCm: 5, hysteresisCm: 0.5, clearHoldSec: 2, predictWindowSec: 30 }
  terminalFault: { settleSec: 2 }
  system: { reportMin: 0.05, clearMin: 0.1 }
alarms: { chatterCycles: 3, chatterWindowSec: 60, chatterSettleSec: 3, floodCount: 10, floodWindowSec: 600 }
api:
  host: 127.0.0.1
  port: 0
  users:
    - { name: vera, role: viewer, tokenHash: ${h.viewer} }
    - { name: stan, role: staff, tokenHash: ${h.staff} }
    - { name: max, role: maintenance, tokenHash: ${h.maintenance} }
    - { name: mona, role: manager, tokenHash: ${h.manager} }
storage:
  dataDir: ${dataDir}${options.journalMaxPendingWrites === undefined ? '' : `\n  journalMaxPendingWrites: ${options.journalMaxPendingWrites}`}
log:
  level: info
`
}
