import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const leak: DeviceTypeDefinition = {
  type: 'leak',
  metrics: {
    water_leak: { kind: 'boolean', description: 'contact is wet' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 3600,
  simulateNormal: () => ({ water_leak: false, battery: 88, tamper: false }),
}
