import { CELSIUS, type DeviceTypeDefinition, PERCENT, ZIGBEE_COMMON_METRICS } from './deviceTypeDefinition.js'

export const temperature: DeviceTypeDefinition = {
  type: 'temperature',
  metrics: {
    temperature: { kind: 'number', unit: '°C', description: 'air temperature', range: CELSIUS },
    humidity: { kind: 'number', unit: '%', description: 'relative humidity', range: PERCENT },
    ...ZIGBEE_COMMON_METRICS,
  },
  heartbeatSec: 3600,
  // CR2032 / CR2450 or 2×AAA comfort sensors: flagged near the end, not at the knee.
  lowBatteryMv: 2500,
  simulateNormal: (tick) => ({ temperature: 23 + (tick % 5) * 0.2, humidity: 50 + (tick % 3) }),
}
