import { type DeviceTypeDefinition, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const door: DeviceTypeDefinition = {
  type: 'door',
  metrics: {
    contact: { kind: 'boolean', description: 'true when the door is closed (zigbee2mqtt convention)' },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 7200,
  // CR1632 / CR2032 or 2×AAA, as the leak sensors, and not life-safety either.
  lowBatteryMv: 2500,
  simulateNormal: () => ({ contact: true, battery: 92 }),
}
