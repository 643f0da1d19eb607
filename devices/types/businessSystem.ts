import { type DeviceTypeDefinition, NOT_NEGATIVE } from './deviceTypeDefinition.js'

/** A probe of the store's business system (system rule, docs/requirements.md#system): is the counter system up? */
export const businessSystem: DeviceTypeDefinition = {
  type: 'business_system',
  metrics: {
    up: { kind: 'boolean', description: 'the business system answers' },
    latency_ms: { kind: 'number', unit: 'ms', description: 'probe round-trip time', range: NOT_NEGATIVE },
  },
  heartbeatSec: 60,
  simulateNormal: (tick) => ({ up: true, latency_ms: 40 + (tick % 5) * 3 }),
}
