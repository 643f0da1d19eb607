import { hashSecret } from '../gateway/security/secretHash.js'

/**
 * The production-like store of bench/idleMemory.ts (docs/performance.md#idle-memory): 40 MQTT
 * devices of a store's mix, each with its own login, the embedded broker, InfluxDB on, the API on
 * with one admin, no demo simulator.
 */

/** A store's mix (docs/requirements.md): detectors over zigbee2mqtt, terminals and facilities over JSON. */
const MIX: ReadonlyArray<readonly [type: string, count: number, format: 'json' | 'zigbee2mqtt']> = [
  ['smoke', 8, 'zigbee2mqtt'],
  ['heat', 2, 'zigbee2mqtt'],
  ['leak', 4, 'zigbee2mqtt'],
  ['door', 4, 'zigbee2mqtt'],
  ['temperature', 4, 'zigbee2mqtt'],
  ['panic_button', 2, 'json'],
  ['terminal', 6, 'json'],
  ['power', 2, 'json'],
  ['queue', 2, 'json'],
  ['signage_screen', 2, 'json'],
  ['printer', 2, 'json'],
  ['water_level', 2, 'json'],
]

/** The store's config: every device with its own MQTT login, an admin API user. */
export function idleStoreConfig(influxUrl: string, dataDir: string): string {
  const devices = MIX.flatMap(([type, count, format]) =>
    Array.from({ length: count }, (_, i) => {
      const id = `${type.replaceAll('_', '-')}-${i + 1}`
      const topic = format === 'zigbee2mqtt' ? `topic: zigbee2mqtt/${id}, ` : ''
      return `  - { id: ${id}, type: ${type}, zone: ${i % 2 === 0 ? 'hall' : 'counter'}, mqtt: { ${topic}format: ${format}, passwordHash: '${hashSecret(`pw-${id}`)}' } }`
    }),
  )
  return `store: { id: store-001, name: Business hall, timeZone: Asia/Shanghai, locale: zh-CN, operator: mobile }
zones:
  - { id: hall, name: { zh-CN: 营业厅, en: Sales hall } }
  - { id: counter, name: { zh-CN: 柜台, en: Counter } }
broker: { mode: embedded, host: 127.0.0.1, port: 0, allowAnonymous: false }
devices:
${devices.join('\n')}
influx: { enabled: true, url: ${influxUrl}, database: storeguard }
api:
  host: 127.0.0.1
  port: 0
  users: [{ name: admin, role: admin, tokenHash: '${hashSecret('admin-token')}' }]
storage: { dataDir: ${dataDir} }
log: { level: info }
`
}
