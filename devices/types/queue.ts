import type { DeviceTypeDefinition } from './deviceTypeDefinition.js'

export const queue: DeviceTypeDefinition = {
  type: 'queue',
  metrics: {
    waiting: { kind: 'number', unit: 'people', description: 'customers waiting at the counter' },
    wait_min: { kind: 'number', unit: 'min', description: 'estimated waiting time' },
  },
  heartbeatSec: 120,
  simulateNormal: (tick) => ({ waiting: tick % 4, wait_min: (tick % 4) * 2 }),
}
